/**
 * Loads the WebAssembly kernels compiled from the C sources beside this file (see
 * scripts/build-kernels.sh; the .wasm files are committed, so no compiler is needed to install).
 * A module is compiled once per process; each user gets its own instance and memory.
 */
import { readFileSync } from 'node:fs';

// The project's TypeScript libs (ES2022 + Node) do not declare WebAssembly; the little used here:
export type WasmModule = { readonly __wasmModule: unique symbol };
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (mod: WasmModule, imports: object) => { readonly exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const modules = new Map<string, WasmModule | null>();

/** The compiled module `name` (src/kernels/<name>.wasm), or null where it cannot be loaded. */
export function kernelModule(name: string): WasmModule | null {
  if (!modules.has(name)) {
    let mod: WasmModule | null = null;
    try {
      mod = new wasm.Module(readFileSync(new URL(`./${name}.wasm`, import.meta.url)));
    } catch {
      mod = null;
    }
    modules.set(name, mod);
  }
  return modules.get(name)!;
}

export interface KernelInstance<E> {
  readonly exports: E;
  readonly memory: WasmMemory;
  /** Float64 arrays of the given lengths, laid out 16-byte aligned after the module's own data. */
  readonly arrays: Float64Array[];
  /** Byte offset of each array (what the kernel's pointer arguments take). */
  readonly offsets: number[];
}

/** A fresh instance of `mod` whose memory holds float64 arrays of the given lengths. */
export function instantiateKernel<E>(mod: WasmModule, lengths: readonly number[]): KernelInstance<E> {
  const instance = new wasm.Instance(mod, {});
  const exports = instance.exports as unknown as E & { memory: WasmMemory; __heap_base: { value: number } };
  const memory = exports.memory;
  let offset = Number(exports.__heap_base.value);
  const offsets: number[] = [];
  for (const len of lengths) {
    offset = Math.ceil(offset / 16) * 16;
    offsets.push(offset);
    offset += 8 * len;
  }
  const needPages = Math.ceil(offset / 65536) - memory.buffer.byteLength / 65536;
  if (needPages > 0) memory.grow(needPages);
  const arrays = lengths.map((len, k) => new Float64Array(memory.buffer, offsets[k], len));
  return { exports, memory, arrays, offsets };
}

/** Set PROVABLY_F64_KERNEL=js to run the TypeScript loops instead of the wasm kernels (same bits). */
export function wasmKernelsEnabled(): boolean {
  return process.env.PROVABLY_F64_KERNEL !== 'js';
}
