/**
 * Where the time of one tfjs (wasm) GD step of the two-layer net goes: each op of
 * TwoLayerTfjsStepper.step timed on its own (median of repeated blocks), against the whole step.
 *
 *   npx tsx bench/profile-tfjs.ts [m ...]      # default: 256 1024 4096 16384, n = 64, d = 16
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { tfjsEngine } from '../src/engine/index.ts';
import { TwoLayerTfjsStepper } from '../src/models/two-layer-relu.ts';
import { normals, rng, signs, uniforms, unitRows } from '../src/numerics/index.ts';
import { median } from './worker.ts';

const engine = await tfjsEngine('wasm');
const { tf } = engine;

function time(label: string, f: () => Tensor | Tensor[] | void, flop: number, reps: number): { label: string; ms: number } {
  for (let k = 0; k < 3; k++) tf.dispose(f() as Tensor);
  const blocks: number[] = [];
  for (let b = 0; b < 7; b++) {
    const t = performance.now();
    for (let k = 0; k < reps; k++) tf.dispose(f() as Tensor);
    blocks.push((performance.now() - t) / reps);
  }
  const ms = median(blocks);
  return { label: `${label}${flop ? ` (${((flop / ms) * 1e-6).toFixed(1)} GFLOP/s)` : ''}`, ms };
}

const sizes = process.argv.slice(2).map(Number);
for (const m of sizes.length ? sizes : [256, 1024, 4096, 16384]) {
  const n = 64, d = 16;
  const net = { n, d, m, X: unitRows(rng(1, 1), n, d), y: uniforms(rng(1, 2), n, -1, 1), W0: normals(rng(1, 3), m * d), a: signs(rng(1, 4), m) };
  const stepper = new TwoLayerTfjsStepper(engine, net, 1e-4, 'first');
  const reps = Math.max(5, Math.round(2e7 / (n * d * m)));
  const X = tf.randomNormal([n, d]) as Tensor2D, WT = tf.randomNormal([d, m]) as Tensor2D, XT = tf.randomNormal([d, n]) as Tensor2D;
  const H = tf.relu(tf.matMul(X, WT)) as Tensor2D, aS = tf.randomNormal([m, 1]) as Tensor2D, y = tf.randomNormal([n, 1]) as Tensor2D;
  const r = tf.randomNormal([n, 1]) as Tensor2D, rRow = tf.randomNormal([1, n]) as Tensor2D, aRow = tf.randomNormal([1, m]) as Tensor2D;
  const M = tf.step(H) as Tensor2D, P = tf.randomNormal([d, m]) as Tensor2D;
  const parts = [
    time('whole step (as the trainer runs it, series read back in chunks)', () => stepper.step(true, false).filter((v): v is Tensor => typeof v !== 'number'), 4 * n * d * m, reps),
    time('  relu(X·Wᵀ)  fused matMul n×d·d×m', () => tf.fused.matMul({ a: X, b: WT, activation: 'relu' }), 2 * n * d * m, reps),
    time('  u = H·(a/√m)  n×m·m×1', () => tf.matMul(H, aS), 2 * n * m, reps),
    time('  M = step(H)  n×m', () => tf.step(H), 0, reps),
    time('  ηXᵀ·diag(r) then ·M  d×n·n×m', () => tf.tidy(() => tf.matMul(tf.mul(XT, rRow), M)), 2 * n * d * m, reps),
    time('  ⊙ (a/√m)ᵀ, Wᵀ −= step  d×m (2 ops)', () => tf.tidy(() => tf.sub(WT, tf.mul(P, aRow))), 0, reps),
    time('  r = u − y, ‖r‖² and small ops (5 ops on n or m numbers)', () => tf.tidy(() => [tf.sum(tf.square(tf.sub(r, y))), tf.mul(aS, 0.5), tf.reshape(r, [1, n])]), 0, reps),
    time('  for comparison: matMul(X, W, false, true)  (transpose flag)', () => tf.matMul(X, tf.transpose(WT) as Tensor2D, false, true), 2 * n * d * m, reps),
  ];
  stepper.dispose();
  tf.dispose([X, WT, XT, H, aS, y, r, rRow, aRow, M, P]);
  console.log(`\nn=${n} d=${d} m=${m}: ms per call (median of 7 blocks of ${reps})`);
  for (const p of parts) console.log(`${p.ms.toFixed(3).padStart(9)}  ${p.label}`);
}
