/**
 * One of our engines on one size, timed in blocks after warm-up, in a process of its own (so the
 * peak RSS is this row's). The step is exactly the trainers' (src/models/two-layer-relu.ts): the
 * forward pass, the residual read back (in chunks, as the tfjs trainer does), the gradient of W
 * and the update. The per-step movement statistics the trainers also trace are left out, as
 * numpy and PyTorch do not compute them.
 *
 *   npx tsx bench/worker.ts '{"impl": "tfjs", "n": 64, "d": 16, "m": 4096, ...}'
 */
import { f64Engine, tfjsEngine } from '../src/engine/index.ts';
import { TwoLayerF64Stepper, TwoLayerTfjsStepper, TwoLayerWasmF32Stepper, twoLayerF64Stepper, type TwoLayerRelu } from '../src/models/two-layer-relu.ts';
import { kernelModule } from '../src/kernels/wasm.ts';
import { ChunkedSeries } from '../src/models/tfjs-series.ts';
import { normals, rng, signs, uniforms, unitRows } from '../src/numerics/index.ts';

export interface WorkerConfig {
  /**
   * `f64`: the f64 engine as it runs (the wasm kernel); `f64-js`: its TypeScript loops;
   * `f32-kernel`: the fused float32 wasm kernel (what PROVABLY_F32_KERNEL=wasm runs instead of tfjs).
   */
  readonly impl: 'tfjs' | 'f64' | 'f64-js' | 'f32-kernel';
  readonly n: number;
  readonly d: number;
  readonly m: number;
  readonly eta: number;
  readonly warmupSeconds: number;
  readonly blockSeconds: number;
  readonly blocks: number;
}

export interface WorkerResult {
  readonly ms_per_step: number;
  /** CPU time of this process per step (median block): less sensitive than wall time to other processes on the machine. */
  readonly cpu_ms_per_step: number;
  readonly blocks: number[];
  readonly steps_per_block: number;
  readonly peak_rss_mb: number;
  readonly versions: Record<string, string>;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : 0.5 * (s[k - 1] + s[k]);
}

function net(n: number, d: number, m: number): TwoLayerRelu {
  return { n, d, m, X: unitRows(rng(1, 1), n, d), y: uniforms(rng(1, 2), n, -1, 1), W0: normals(rng(1, 3), m * d), a: signs(rng(1, 4), m) };
}

/** `steps` full-batch GD steps of a stepper; returns the last ‖u − y‖² (read back, as the trainer does). */
function gdSteps(s: { forward(): number; update(eta: number): void }, eta: number): (steps: number) => number {
  return (steps) => {
    let r2 = 0;
    for (let k = 0; k < steps; k++) {
      r2 = s.forward();
      s.update(eta);
    }
    return r2;
  };
}

async function stepperOf(cfg: WorkerConfig): Promise<{ run: (steps: number) => number; versions: Record<string, string> }> {
  const nn = net(cfg.n, cfg.d, cfg.m);
  if (cfg.impl === 'f64' || cfg.impl === 'f64-js') {
    const s = cfg.impl === 'f64' ? twoLayerF64Stepper(nn, 'first') : new TwoLayerF64Stepper(nn, 'first');
    return {
      run: gdSteps(s, cfg.eta),
      versions: { node: process.version, engine: f64Engine.id, kernel: s.kernel },
    };
  }
  if (cfg.impl === 'f32-kernel') {
    const s = new TwoLayerWasmF32Stepper(kernelModule('two-layer-f32')!, nn, 'first');
    return {
      run: gdSteps(s, cfg.eta),
      versions: { node: process.version, engine: 'tfjs', kernel: 'two-layer-f32' },
    };
  }
  const engine = await tfjsEngine('wasm');
  const s = new TwoLayerTfjsStepper(engine, nn, cfg.eta, 'first');
  return {
    run(steps) {
      const series = new ChunkedSeries(engine.tf, ['residual2'] as const, steps - 1, 'residual2');
      for (let k = 0; k < steps; k++) series.push(k, s.step(true, false).slice(0, 1));
      series.flush();
      return series.values.residual2[steps - 1];
    },
    versions: { node: process.version, tfjs: engine.tf.version.tfjs, backend: engine.backend },
  };
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]) as WorkerConfig;
  const { run, versions } = await stepperOf(cfg);
  const t0 = performance.now();
  let k = 0;
  while (k < 3 || performance.now() - t0 < cfg.warmupSeconds * 1000) {
    run(1);
    k++;
  }
  const per = (performance.now() - t0) / k;
  const steps = Math.max(1, Math.round((cfg.blockSeconds * 1000) / per));
  const blocks: number[] = [];
  const cpu: number[] = [];
  let last = 0;
  for (let b = 0; b < cfg.blocks; b++) {
    const t = performance.now();
    const c0 = process.cpuUsage();
    last = run(steps);
    const c = process.cpuUsage(c0);
    blocks.push((performance.now() - t) / steps);
    cpu.push((c.user + c.system) / 1000 / steps);
  }
  if (!Number.isFinite(last)) throw new Error('the residual became non-finite during the bench');
  const out: WorkerResult = { ms_per_step: median(blocks), cpu_ms_per_step: median(cpu), blocks, steps_per_block: steps, peak_rss_mb: process.resourceUsage().maxRSS / 1024, versions };
  process.stdout.write(JSON.stringify(out) + '\n');
}

if (process.argv[1]?.endsWith('worker.ts')) await main();
