/**
 * The learned black-box optimizer (src/models/gru-optimizer.ts): its tfjs (float32) meta-gradient,
 * by autodiff through the unrolled horizon, against float64 central differences of the float64
 * meta-loss; the float32 and float64 rollouts of the same weights; no tensor outlives a call.
 */
import { describe, expect, it } from 'vitest';
import { f64Engine, tfjsEngine } from '../src/engine/index.ts';
import { drawFourierFunction, fourierValue } from '../src/models/fourier-prior.ts';
import { fourierValuesTf, gruMetaGradientTf, gruMetaLossF64, gruRolloutF64, gruRolloutsTf, initGruOptimizer, metaTrainedGru, metaTrainGruTf, type GruOptimizer } from '../src/models/gru-optimizer.ts';
import { rng, uniforms } from '../src/numerics/random.ts';

const KEYS = ['W', 'U', 'b', 'v', 'c'] as const;
const functions = (seed: number, count: number, ell: number) => {
  const r = rng(seed, 7);
  return Array.from({ length: count }, () => drawFourierFunction(r, ell));
};

/** Two-point central differences of the float64 meta-loss in every weight (h = 1e-6: error ≈ eps/h + h²·|L'''|, about 1e-10). */
function centralGradient(o: GruOptimizer, fs: ReturnType<typeof functions>, T: number): number[] {
  const out: number[] = [];
  for (const k of KEYS)
    for (let i = 0; i < o[k].length; i++) {
      const at = (d: number) => {
        const w = { ...o, [k]: Float64Array.from(o[k]) } as GruOptimizer;
        w[k][i] += d;
        return gruMetaLossF64(w, fs, T);
      };
      out.push((at(1e-6) - at(-1e-6)) / 2e-6);
    }
  return out;
}

describe('GRU black-box optimizer', () => {
  it('tfjs autodiff meta-gradient matches float64 central differences (within 1e-5·(1 + max|g|); measured 2.9e-7 at max|g| = 0.49)', async () => {
    const engine = await tfjsEngine('wasm');
    const o = initGruOptimizer(4, 3);
    const fs = functions(5, 4, 0.2);
    const T = 6;
    const { loss, grads } = gruMetaGradientTf(engine, o, fs, T);
    expect(Math.abs(loss - gruMetaLossF64(o, fs, T))).toBeLessThan(1e-5);
    const tf = KEYS.flatMap((k) => [...grads[k]]);
    const fd = centralGradient(o, fs, T);
    expect(tf.length).toBe(fd.length);
    const scale = 1 + Math.max(...fd.map(Math.abs));
    const worst = Math.max(...tf.map((g, i) => Math.abs(g - fd[i])));
    // A wrong gradient (a missing path through y_t into the next input, say) is off by O(|g|).
    expect(Math.max(...fd.map(Math.abs))).toBeGreaterThan(1e-2);
    expect(worst).toBeLessThan(1e-5 * scale);
  });

  it('float32 and float64 rollouts of the same weights agree, and so do f(x) on both', async () => {
    const engine = await tfjsEngine('wasm');
    const o = initGruOptimizer(16, 4);
    const fs = functions(6, 32, 0.2);
    const y32 = gruRolloutsTf(engine, o, fs, 10);
    fs.forEach((f, i) => {
      const y64 = gruRolloutF64(o, f, 10).ys;
      for (let t = 0; t < 10; t++) expect(Math.abs(y32[i][t] - y64[t])).toBeLessThan(1e-4);
    });
    const r = rng(8, 1);
    const xs = fs.map(() => uniforms(r, 5));
    const v32 = fourierValuesTf(engine, fs, xs);
    fs.forEach((f, i) => xs[i].forEach((x, t) => expect(Math.abs(v32[i][t] - fourierValue(f, x))).toBeLessThan(1e-5)));
  });

  it('meta-training lowers the meta-loss on fresh prior functions', async () => {
    const engine = await tfjsEngine('wasm');
    const s = { hidden: 8, horizon: 10, lengthScale: 0.2, batch: 16, steps: 15, lr: 0.01, seed: 2 };
    // 25 Adam steps of this training (batch 16) took the meta-loss from −0.015 to −0.386: 0.05 in 15 is a low bar.
    const trained = metaTrainGruTf(engine, s);
    const fresh = functions(9, 128, 0.2);
    expect(gruMetaLossF64(trained, fresh, 10)).toBeLessThan(gruMetaLossF64(initGruOptimizer(8, 2), fresh, 10) - 0.05);
  });

  it('leaks no tensor: meta-training with restarts, the meta-gradient, the rollouts and f(x)', async () => {
    const engine = await tfjsEngine('wasm');
    const before = engine.tf.memory().numTensors;
    const o = metaTrainGruTf(engine, { hidden: 4, horizon: 5, lengthScale: 0.2, batch: 4, steps: 3, lr: 0.01, seed: 1, restarts: 2 });
    const fs = functions(1, 3, 0.2);
    gruMetaGradientTf(engine, o, fs, 5);
    gruRolloutsTf(engine, o, fs, 5);
    fourierValuesTf(engine, fs, fs.map(() => Float64Array.of(0.1, 0.5)));
    expect(engine.tf.memory().numTensors).toBe(before);
  });

  it('the f64 engine evaluates the weights the tfjs engine trained for the same settings', async () => {
    const engine = await tfjsEngine('wasm');
    const s = { hidden: 4, horizon: 5, lengthScale: 0.2, batch: 4, steps: 2, lr: 0.01, seed: 77 };
    const on32 = await metaTrainedGru(engine, s);
    const on64 = await metaTrainedGru(f64Engine, s);
    expect(on64.weights).toBe(on32.weights);
    expect(on64.backend).toBe('wasm');
  });
});
