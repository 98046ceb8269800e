/**
 * The committed WebAssembly kernels: built from the committed C source (hashes, and a rebuild
 * where clang-14 is installed); the f64 kernel bit-identical to the TypeScript loops it replaces,
 * the f32 kernel within float32 error bounds of the f64 kernel, as the tfjs step is.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import { EngineError, f64Engine, tfjsEngine } from '../src/engine/index.ts';
import { kernelModule } from '../src/kernels/wasm.ts';
import { TwoLayerF64Stepper, TwoLayerTfjsStepper, TwoLayerWasmF32Stepper, TwoLayerWasmF64Stepper, twoLayerF64Stepper, twoLayerReluGD, type TwoLayerRelu } from '../src/models/two-layer-relu.ts';
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

/*
 * The float32 kernel against the tfjs step and the f64 kernel. They sum in different orders, so
 * they agree to float32 accuracy, not bit for bit; the tolerance is the a-priori rounding-error
 * bound of the computation (Higham, Accuracy and Stability of Numerical Algorithms, §3.1: a sum
 * of k products computed in any order is within γ_k = k·u/(1 − k·u) of the exact one, relative
 * to the sum of the terms' magnitudes; u = 2⁻²⁴), taken from the same float32 weights and with the
 * float64 kernel as the exact value. Both float32 implementations must be within it, so the
 * kernel is held to exactly the accuracy the tfjs step itself is held to, and each step starts
 * from the tfjs step's weights, so errors do not compound across steps.
 */
const U32 = 2 ** -24;
const gamma = (k: number) => (k * U32) / (1 - k * U32);

interface StepBounds {
  /** Bound on |r̂_i − r_i| for the residuals, and on |r2̂ − r2|. */
  res: Float64Array;
  r2: number;
  /** Bound on |ΔŴ − ΔW| per entry (before the rounding of W − ΔŴ) and on |Δâ − Δa|. */
  dW: Float64Array;
  da: Float64Array;
  /** Smallest |z_ir| / (γ_d Σ_c |w_rc x_ic|): above 1, no ReLU mask can differ between implementations. */
  maskMargin: number;
}

/** The a-priori bounds for one float32 step from weights (W, a), exact values r (residuals). */
function stepBounds(nn: TwoLayerRelu, W: Float64Array, a: Float64Array, r: Float64Array, eta: number): StepBounds {
  const { n, d, m, X, y } = nn;
  const scale = 1 / Math.sqrt(m);
  const S = new Float64Array(n * m); // Σ_c |w_rc x_ic|
  const Z = new Float64Array(n * m);
  const res = new Float64Array(n);
  let maskMargin = Infinity;
  for (let i = 0; i < n; i++) {
    let out = 0;
    for (let q = 0; q < m; q++) {
      let s = 0, z = 0;
      for (let c = 0; c < d; c++) {
        s += Math.abs(W[q * d + c] * X[i * d + c]);
        z += W[q * d + c] * X[i * d + c];
      }
      S[i * m + q] = s;
      Z[i * m + q] = z;
      out += Math.abs(a[q]) * s;
      maskMargin = Math.min(maskMargin, Math.abs(z) / (gamma(d) * s));
    }
    // d roundings in z, a·scale and a·relu(z), m − 1 in the sum over units, the output scaling and − y.
    res[i] = gamma(m + d + 4) * (scale * out + Math.abs(y[i])) + U32 * Math.abs(r[i]);
  }
  let r2 = 0, sq = 0;
  for (let i = 0; i < n; i++) {
    r2 += 2 * Math.abs(r[i]) * res[i] + res[i] ** 2;
    sq += (Math.abs(r[i]) + res[i]) ** 2;
  }
  r2 += gamma(n + 1) * sq; // tfjs sums the squares in float32
  const g = gamma(n + 4); // η·x, its product with r, n − 1 sums, the mask, a·scale
  const dW = new Float64Array(m * d);
  const da = new Float64Array(m);
  for (let q = 0; q < m; q++) {
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) if (Z[i * m + q] >= 0) s += (g * Math.abs(r[i]) + (1 + g) * res[i]) * Math.abs(X[i * d + c]);
      dW[q * d + c] = eta * scale * Math.abs(a[q]) * s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) if (Z[i * m + q] > 0) s += g * Math.abs(r[i] * Z[i * m + q]) + res[i] * Math.abs(Z[i * m + q]) + Math.abs(r[i]) * gamma(d) * S[i * m + q];
    da[q] = eta * scale * s;
  }
  return { res, r2, dW, da, maskMargin };
}

type Weights = { W: ArrayLike<number>; a: ArrayLike<number> };

/** ΔW and Δa of one float32 step (read off as before − after, in float64) against the f64 kernel's, within the bounds plus the rounding of W − ΔŴ. */
function checkStep(who: string, before: Weights, after: Weights, ref: Weights, bounds: StepBounds, layers: 'first' | 'both'): void {
  for (let j = 0; j < before.W.length; j++) {
    const err = Math.abs(before.W[j] - after.W[j] - (before.W[j] - ref.W[j]));
    const tol = bounds.dW[j] + U32 * Math.abs(after.W[j]) + 1e-12 * (Math.abs(before.W[j]) + Math.abs(ref.W[j]));
    if (!(err <= tol)) expect.fail(`${who}: ΔW[${j}] off by ${err} > bound ${tol}`);
  }
  for (let q = 0; q < before.a.length; q++) {
    const err = Math.abs(before.a[q] - after.a[q] - (before.a[q] - ref.a[q]));
    const tol = layers === 'both' ? bounds.da[q] + U32 * Math.abs(after.a[q]) + 1e-12 * (Math.abs(before.a[q]) + Math.abs(ref.a[q])) : 0;
    if (!(err <= tol)) expect.fail(`${who}: Δa[${q}] off by ${err} > bound ${tol}`);
  }
}

/** Overwrite a tfjs stepper's weights (its inert zero rows stay zero). */
function setTfjsWeights(engine: Awaited<ReturnType<typeof tfjsEngine>>, s: TwoLayerTfjsStepper, d: number, W: Float64Array, a: Float64Array): void {
  const { tf } = engine;
  const Wp = new Float32Array(s.rows * d);
  Wp.set(W);
  const ap = new Float32Array(s.rows);
  ap.set(a);
  tf.tidy(() => {
    s.W.assign(tf.tensor2d(Wp, [s.rows, d]));
    s.a.assign(tf.tensor2d(ap, [s.rows, 1]));
  });
}

describe('two-layer f32 wasm kernel', () => {
  it('loads, and is off unless PROVABLY_F32_KERNEL=wasm selects it (a bad value is a usage error)', async () => {
    expect(kernelModule('two-layer-f32')).not.toBeNull();
    expect((await tfjsEngine('wasm')).twoLayerF32Kernel).toBe(false);
    process.env.PROVABLY_F32_KERNEL = 'wasm';
    try {
      const engine = await tfjsEngine('wasm');
      expect(engine.twoLayerF32Kernel).toBe(true);
      expect(engine.notes.join(' ')).toContain('PROVABLY_F32_KERNEL=wasm');
      process.env.PROVABLY_F32_KERNEL = 'fast';
      await expect(tfjsEngine('wasm')).rejects.toThrow(EngineError);
      await expect(tfjsEngine('wasm')).rejects.toThrow(/PROVABLY_F32_KERNEL must be 'wasm'.*got 'fast'/);
    } finally {
      delete process.env.PROVABLY_F32_KERNEL;
    }
    expect((await tfjsEngine('wasm')).twoLayerF32Kernel).toBe(false);
  });

  // Odd and even n, d and m exercise the padding, every vector block and the unit tails;
  // m = 128 gives the tfjs step its 8 inert zero rows.
  it.each([
    [1, 1, 1, 'both'],
    [9, 3, 5, 'both'],
    [13, 17, 31, 'first'],
    [16, 8, 64, 'both'],
    [23, 50, 101, 'both'],
    [64, 16, 128, 'first'],
  ] as const)('step by step from the tfjs step\'s weights, it and the tfjs step are both within float32 error bounds of the f64 kernel (n=%i, d=%i, m=%i, %s layers)', async (n, d, m, layers) => {
    const engine = await tfjsEngine('wasm');
    const nn = net(n * 1000 + d * 10 + m, n, d, m);
    const eta = 0.5;
    const tfjs = new TwoLayerTfjsStepper(engine, nn, eta, layers);
    const f32 = new TwoLayerWasmF32Stepper(kernelModule('two-layer-f32')!, nn, layers);
    const f64 = new TwoLayerWasmF64Stepper(kernelModule('two-layer-f64')!, nn, layers);
    const tfjsBig = new TwoLayerTfjsStepper(engine, nn, 1e4, layers);
    try {
      for (let k = 0; k < 12; k++) {
        const { W, a } = tfjs.weights(); // float32 values, exact in float64
        f32.setWeights(W, a);
        f64.W.set(W);
        f64.a.set(a);
        const r2 = f64.forward();
        const bounds = stepBounds(nn, W, a, f64.res, eta);
        expect(bounds.maskMargin, 'a ReLU mask could differ between implementations: pick another instance').toBeGreaterThan(1);
        f64.update(eta);

        const [r2Tensor] = tfjs.step(true, false) as [Tensor, ...unknown[]];
        const r2Tfjs = r2Tensor.dataSync()[0];
        r2Tensor.dispose();
        const r2Kernel = f32.forward();
        const resKernel = Float64Array.from(f32.res);
        f32.update(eta);
        expect(Math.abs(r2Kernel - r2)).toBeLessThanOrEqual(bounds.r2);
        expect(Math.abs(r2Tfjs - r2)).toBeLessThanOrEqual(bounds.r2);
        for (let i = 0; i < n; i++) expect(Math.abs(resKernel[i] - f64.res[i])).toBeLessThanOrEqual(bounds.res[i]);

        const ref = { W: Float64Array.from(f64.W), a: Float64Array.from(f64.a) };
        for (const [who, w] of Object.entries({ tfjs: tfjs.weights(), f32: { W: f32.W, a: f32.a } })) checkStep(`${who}, step ${k}`, { W, a }, w, ref, bounds, layers);

        // The gradient itself: the same step at η = 10⁴ from the same weights, where ΔW dwarfs W, so
        // reading it off as W − W_new loses only u·|W_new| ≈ u·|ΔW| (at η = 0.5 that loss dominates).
        const BIG = 1e4;
        f64.W.set(W);
        f64.a.set(a);
        f64.forward();
        const big = stepBounds(nn, W, a, f64.res, BIG);
        f64.update(BIG);
        const refBig = { W: Float64Array.from(f64.W), a: Float64Array.from(f64.a) };
        setTfjsWeights(engine, tfjsBig, d, W, a);
        engine.tf.dispose(tfjsBig.step(true, false).filter((v): v is Tensor => typeof v !== 'number'));
        f32.setWeights(W, a);
        f32.forward();
        f32.update(BIG);
        for (const [who, w] of Object.entries({ tfjs: tfjsBig.weights(), f32: { W: f32.W, a: f32.a } })) checkStep(`${who}, step ${k}, η = 1e4`, { W, a }, w, refBig, big, layers);
      }
    } finally {
      tfjs.dispose();
      tfjsBig.dispose();
    }
  });

  it('through twoLayerReluGD: the same series as the tfjs engine and the f64 engine to float32 accuracy, the same bytes run after run', async () => {
    const nn = net(11, 17, 8, 60);
    const run = { eta: 0.5, steps: 150, layers: 'both' as const };
    const tfjs = await twoLayerReluGD(await tfjsEngine('wasm'), nn, run);
    const f64 = await twoLayerReluGD(f64Engine, nn, run);
    process.env.PROVABLY_F32_KERNEL = 'wasm';
    let kernel, again;
    try {
      const engine = await tfjsEngine('wasm');
      kernel = await twoLayerReluGD(engine, nn, run);
      again = await twoLayerReluGD(engine, nn, run);
    } finally {
      delete process.env.PROVABLY_F32_KERNEL;
    }
    expect(kernel.steps).toBe(150);
    for (const s of ['residual2', 'maxMove', 'outputMove'] as const) {
      expect(Array.from(again.series[s])).toEqual(Array.from(kernel.series[s]));
      // The tolerance of models.test.ts's tfjs-against-f64 trainer test: 150 steps of float32.
      const tol = 1e-4 * (1 + f64.series[s][0] + f64.series[s][150]);
      for (let k = 0; k <= 150; k++) {
        expect(Math.abs(kernel.series[s][k] - f64.series[s][k])).toBeLessThan(tol);
        expect(Math.abs(kernel.series[s][k] - tfjs.series[s][k])).toBeLessThan(tol);
      }
    }
    expect(kernel.series.residual2[150]).toBeLessThan(0.5 * kernel.series.residual2[0]); // it trained
  });

  it('stops at the first non-finite residual, like the other engines', async () => {
    const nn = net(3, 8, 4, 16);
    const run = { eta: 1e6, steps: 200 };
    const f64 = await twoLayerReluGD(f64Engine, nn, run);
    process.env.PROVABLY_F32_KERNEL = 'wasm';
    try {
      const kernel = await twoLayerReluGD(await tfjsEngine('wasm'), nn, run);
      expect(kernel.stopped).toMatch(/^non-finite residual at step \d+$/);
      expect(kernel.steps).toBeLessThan(200);
      expect(Number.isFinite(kernel.series.residual2[kernel.steps])).toBe(false);
      expect(f64.steps).toBeLessThan(200);
    } finally {
      delete process.env.PROVABLY_F32_KERNEL;
    }
  });
});
