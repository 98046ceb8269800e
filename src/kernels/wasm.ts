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

export interface KernelInstance<E, A extends Float64Array | Float32Array = Float64Array> {
  readonly exports: E;
  readonly memory: WasmMemory;
  /** Arrays of the given lengths, laid out 16-byte aligned after the module's own data. */
  readonly arrays: A[];
  /** Byte offset of each array (what the kernel's pointer arguments take). */
  readonly offsets: number[];
}

/** A fresh instance of `mod` whose memory holds float64 arrays of the given lengths. */
export function instantiateKernel<E>(mod: WasmModule, lengths: readonly number[]): KernelInstance<E> {
  return instantiate<E, Float64Array>(mod, lengths, Float64Array);
}

/** A fresh instance of `mod` whose memory holds float32 arrays of the given lengths (zeroed). */
export function instantiateKernel32<E>(mod: WasmModule, lengths: readonly number[]): KernelInstance<E, Float32Array> {
  return instantiate<E, Float32Array>(mod, lengths, Float32Array);
}

function instantiate<E, A extends Float64Array | Float32Array>(mod: WasmModule, lengths: readonly number[], Arr: { new (b: ArrayBuffer, off: number, len: number): A; BYTES_PER_ELEMENT: number }): KernelInstance<E, A> {
  const instance = new wasm.Instance(mod, {});
  const exports = instance.exports as unknown as E & { memory: WasmMemory; __heap_base: { value: number } };
  const memory = exports.memory;
  let offset = Number(exports.__heap_base.value);
  const offsets: number[] = [];
  for (const len of lengths) {
    offset = Math.ceil(offset / 16) * 16;
    offsets.push(offset);
    offset += Arr.BYTES_PER_ELEMENT * len;
  }
  const needPages = Math.ceil(offset / 65536) - memory.buffer.byteLength / 65536;
  if (needPages > 0) memory.grow(needPages);
  const arrays = lengths.map((len, k) => new Arr(memory.buffer, offsets[k], len));
  return { exports, memory, arrays, offsets };
}

/** Set PROVABLY_F64_KERNEL=js to run the TypeScript loops instead of the wasm kernels (same bits). */
export function wasmKernelsEnabled(): boolean {
  return process.env.PROVABLY_F64_KERNEL !== 'js';
}

/**
 * PROVABLY_F32_KERNEL=wasm runs the two-layer ReLU net's float32 (tfjs engine) training step in the
 * fused wasm kernel src/kernels/two-layer-f32.c instead of TensorFlow.js: 1.6–8× faster in bench/,
 * equal to the tfjs step to float32 accuracy, not bit for bit. Off by default: the tfjs engine's
 * runs are TensorFlow.js runs unless this is asked for. Any other value than `wasm` or `tfjs`
 * (or unset) is an error, so a typo never silently runs the other path.
 */
export const F32_KERNEL_ENV = 'PROVABLY_F32_KERNEL';

export function f32KernelSelected(): boolean {
  const v = process.env[F32_KERNEL_ENV];
  if (v === undefined || v === '' || v === 'tfjs') return false;
  if (v === 'wasm') return true;
  throw new RangeError(`${F32_KERNEL_ENV} must be 'wasm' (the fused float32 kernel) or 'tfjs' (TensorFlow.js, the default), got '${v}'`);
}
