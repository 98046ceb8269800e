/** AGD on both engines: tfjs autodiff against the hand-written float64 gradient, and the two training runs against each other. */
import { describe, expect, it } from 'vitest';
import { f64Engine, tfjsEngine } from '../src/engine/index.ts';
import { lossGradTfjs, trainAgd } from '../src/models/agd-training.ts';
import { lossGrad, semiOrthogonalInit } from '../src/models/mlp.ts';
import { normals, rng } from '../src/numerics/index.ts';

const dims = [6, 12, 8, 2];
const data = { n: 10, X: normals(rng(3, 1), 60), Y: normals(rng(3, 2), 20).map(Math.sign) };
const W0 = semiOrthogonalInit(dims, 4);

describe('automatic gradient descent on the f64 and tfjs engines', () => {
  it('tfjs autodiff gives the hand-written gradient to float32 accuracy', async () => {
    const engine = await tfjsEngine('wasm');
    const a = lossGradTfjs(engine, dims, data, W0);
    const b = lossGrad({ dims, W: W0, act: 'relu' }, data, 2);
    expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-6 * b.loss);
    b.gW.forEach((g, k) => g.forEach((v, j) => expect(Math.abs(a.gW[k][j] - v)).toBeLessThan(1e-5 * (1 + Math.abs(v)))));
  });

  it('trains the same run in float32 as in float64 (to float32 accuracy), leaking no tensors', async () => {
    const engine = await tfjsEngine('wasm');
    const before = engine.tf.memory().numTensors;
    const t32 = await trainAgd(engine, { dims, data, W0 }, 30);
    expect(engine.tf.memory().numTensors).toBe(before);
    const t64 = await trainAgd(f64Engine, { dims, data, W0 }, 30);
    for (let t = 0; t <= 30; t++) expect(Math.abs(t32.loss[t] - t64.loss[t])).toBeLessThan(1e-4 * t64.loss[0]);
    expect(t64.loss[30]).toBeLessThan(t64.loss[0]);
  });
});
