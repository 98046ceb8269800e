/**
 * The committed WebAssembly kernels: built from the committed C source (hashes, and a rebuild
 * where clang-14 is installed), and bit-identical to the TypeScript loops they replace.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { f64Engine } from '../src/engine/index.ts';
import { kernelModule } from '../src/kernels/wasm.ts';
import { TwoLayerF64Stepper, TwoLayerWasmF64Stepper, twoLayerF64Stepper, twoLayerReluGD, type TwoLayerRelu } from '../src/models/two-layer-relu.ts';
import { normals, rng, signs, uniforms, unitRows } from '../src/numerics/index.ts';

const ROOT = join(import.meta.dirname, '..');
const KERNELS = join(ROOT, 'src', 'kernels');
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const names = readdirSync(KERNELS).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2));
const hasClang = spawnSync('clang-14', ['--version']).status === 0;

describe.each(names.map((n) => [n]))('kernel %s', (name) => {
  const manifest = JSON.parse(readFileSync(join(KERNELS, `${name}.manifest.json`), 'utf8')) as { sourceSha256: string; wasmSha256: string };

  it('the committed .wasm is the one its manifest names, built from the committed source (else run `npm run build:kernels`)', () => {
    expect(sha256(join(KERNELS, `${name}.c`)), `${name}.c changed since the last build`).toBe(manifest.sourceSha256);
    expect(sha256(join(KERNELS, `${name}.wasm`))).toBe(manifest.wasmSha256);
  });

  it.skipIf(!hasClang)('rebuilding from source with clang-14 gives the committed bytes (skipped without clang-14: apt-get install clang-14 lld-14)', () => {
    const out = mkdtempSync(join(tmpdir(), 'provably-kernels-'));
    try {
      execFileSync(join(ROOT, 'scripts', 'build-kernels.sh'), [out], { stdio: 'pipe' });
      expect(sha256(join(out, `${name}.wasm`))).toBe(sha256(join(KERNELS, `${name}.wasm`)));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

function net(seed: number, n: number, d: number, m: number): TwoLayerRelu {
  return { n, d, m, X: unitRows(rng(seed, 1), n, d), y: uniforms(rng(seed, 2), n, -1, 1), W0: normals(rng(seed, 3), m * d), a: normals(rng(seed, 4), m) };
}

describe('two-layer f64 wasm kernel', () => {
  it('loads, and the f64 engine uses it', () => {
    expect(kernelModule('two-layer-f64')).not.toBeNull();
    expect(twoLayerF64Stepper(net(1, 3, 2, 4)).kernel).toBe('wasm');
  });

  // Odd and even n, d and m exercise every vector block and scalar tail.
  it.each([
    [1, 1, 1],
    [2, 1, 3],
    [9, 3, 5],
    [13, 17, 31],
    [16, 8, 64],
    [23, 50, 101],
  ])('is bit-identical to the TypeScript loops (n=%i, d=%i, m=%i, both layers)', (n, d, m) => {
    const nn = net(n * 1000 + d * 10 + m, n, d, m);
    const mod = kernelModule('two-layer-f64')!;
    const js = new TwoLayerF64Stepper(nn, 'both');
    const wasm = new TwoLayerWasmF64Stepper(mod, nn, 'both');
    for (let k = 0; k < 8; k++) {
      expect(wasm.forward()).toBe(js.forward());
      expect(Buffer.from(wasm.res.buffer, wasm.res.byteOffset, wasm.res.byteLength).equals(Buffer.from(js.res.buffer))).toBe(true);
      wasm.update(0.7);
      js.update(0.7);
    }
    expect(Buffer.from(wasm.W.buffer, wasm.W.byteOffset, wasm.W.byteLength).equals(Buffer.from(js.W.buffer))).toBe(true);
    expect(Buffer.from(wasm.a.buffer, wasm.a.byteOffset, wasm.a.byteLength).equals(Buffer.from(js.a.buffer))).toBe(true);
  });

  it('gives the same trace bytes as PROVABLY_F64_KERNEL=js', async () => {
    const nn = net(7, 12, 6, 40);
    const run = { eta: 0.4, steps: 50, layers: 'first' as const };
    const wasm = await twoLayerReluGD(f64Engine, nn, run);
    process.env.PROVABLY_F64_KERNEL = 'js';
    try {
      expect(twoLayerF64Stepper(nn).kernel).toBe('js');
      const js = await twoLayerReluGD(f64Engine, nn, run);
      for (const s of ['residual2', 'maxMove', 'outputMove'] as const) expect(Array.from(wasm.series[s])).toEqual(Array.from(js.series[s]));
    } finally {
      delete process.env.PROVABLY_F64_KERNEL;
    }
  });
});
