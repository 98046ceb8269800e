/**
 * Where the time of one tfjs (wasm) GD step of the two-layer net goes: the kernels that
 * TwoLayerTfjsStepper.step runs, each timed by tf.profile (median over profiled steps), against
 * the whole step timed without the profiler. The difference is dispatch overhead (JS, tidy,
 * kernel lookup: ~6–9 µs per op measured here).
 *
 *   npx tsx bench/profile-tfjs.ts [m ...]      # default: 256 1024 4096 16384 at n = 64, d = 16
 *   npx tsx bench/profile-tfjs.ts 10000:100:50 # m:n:d
 */
import type { Tensor } from '@tensorflow/tfjs';
import { tfjsEngine } from '../src/engine/index.ts';
import { TwoLayerTfjsStepper } from '../src/models/two-layer-relu.ts';
import { normals, rng, signs, uniforms, unitRows } from '../src/numerics/index.ts';
import { median } from './worker.ts';

const engine = await tfjsEngine('wasm');
const { tf } = engine;
const args = process.argv.slice(2);
const sizes = (args.length ? args : ['256', '1024', '4096', '16384']).map((a) => {
  const [m, n = 64, d = 16] = a.split(':').map(Number);
  return { m, n, d };
});

for (const { n, d, m } of sizes) {
  const net = { n, d, m, X: unitRows(rng(1, 1), n, d), y: uniforms(rng(1, 2), n, -1, 1), W0: normals(rng(1, 3), m * d), a: signs(rng(1, 4), m) };
  const stepper = new TwoLayerTfjsStepper(engine, net, 1e-4, 'first');
  const step = () => tf.dispose(stepper.step(true, false).filter((v): v is Tensor => typeof v !== 'number'));
  const reps = Math.max(5, Math.round(2e7 / (n * d * m)));
  // Warm up as the bench does (1.5 s): tfjs's dispatch code needs it before V8 has optimised it.
  for (const t0 = performance.now(); performance.now() - t0 < 1500; ) step();
  const wall: number[] = [];
  for (let b = 0; b < 7; b++) {
    const t = performance.now();
    for (let k = 0; k < reps; k++) step();
    wall.push((performance.now() - t) / reps);
  }
  const byKernel = new Map<string, number[]>();
  for (let k = 0; k < 7; k++) {
    const info = await tf.profile(step);
    const seen = new Map<string, number>();
    for (const kern of info.kernels) {
      if (kern.name.endsWith('__op')) continue; // composite ops: their kernels are listed separately
      const key = `${kern.name} ${JSON.stringify(kern.inputShapes)} → ${JSON.stringify(kern.outputShapes)}`;
      seen.set(key, (seen.get(key) ?? 0) + Number(kern.kernelTimeMs));
    }
    for (const [key, ms] of seen) byKernel.set(key, [...(byKernel.get(key) ?? []), ms]);
  }
  const rows = [...byKernel.entries()].map(([key, ms]) => ({ key, ms: median(ms) })).sort((a, b) => b.ms - a.ms);
  const stepMs = median(wall);
  const kernelSum = rows.reduce((s, r) => s + r.ms, 0);
  console.log(`\nn=${n} d=${d} m=${m}: step ${stepMs.toFixed(3)} ms (wall, median of 7 blocks of ${reps}); kernels ${kernelSum.toFixed(3)} ms; the rest (dispatch, tidy, readback) ${(stepMs - kernelSum).toFixed(3)} ms`);
  for (const r of rows.filter((r) => r.ms >= 0.01 * stepMs)) console.log(`${r.ms.toFixed(3).padStart(9)} ms ${((100 * r.ms) / stepMs).toFixed(0).padStart(3)}%  ${r.key}`);
  stepper.dispose();
}
