import type { BackendId, Engine, EngineId, TfModule, TfjsEngine } from './types.ts';
import { F32_KERNEL_ENV, f32KernelSelected, kernelModule } from '../kernels/wasm.ts';

export * from './types.ts';

export const f64Engine: Engine = Object.freeze({
  id: 'f64',
  backend: 'js',
  precision: 'float64',
  eps: 2 ** -53,
  // A k-step product accumulates about k·eps relative error; 1e-9 leaves room for 10^6 steps.
  relTol: 1e-9,
  notes: [],
});

export class EngineError extends Error {}

let tfModule: Promise<TfModule> | undefined;
/** Keyed by backend and whether the fused f32 kernel is selected (its note is part of the engine). */
const tfjsEngines = new Map<string, Promise<TfjsEngine>>();

async function loadTf(): Promise<TfModule> {
  tfModule ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    return tf;
  })();
  return tfModule;
}

/**
 * The native backend comes from the optional `@tensorflow/tfjs-node-gpu` (libtensorflow with CUDA)
 * or `@tensorflow/tfjs-node` (CPU), neither of which installs on machines that cannot download
 * libtensorflow. Both register the same `tensorflow` backend; the GPU build is tried first. The
 * variable module names keep bundlers and tsc from requiring either. Returns the package loaded.
 */
export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

export async function loadTensorflowBackend(packages: readonly string[] = TENSORFLOW_PACKAGES): Promise<string | null> {
  for (const name of packages) {
    try {
      await import(name);
      return name;
    } catch {
      // not installed (or its native library did not load): try the next
    }
  }
  return null;
}

/**
 * The tfjs engine on a backend chosen explicitly: wasm by default, cpu when wasm cannot start,
 * `tensorflow` only when asked for and installed. The backend actually used is recorded.
 */
export async function tfjsEngine(backend: Exclude<BackendId, 'js'> = 'wasm'): Promise<TfjsEngine> {
  // A bad PROVABLY_F32_KERNEL is a usage error before anything runs, not an error in every run.
  let fusedKernel: boolean;
  try {
    fusedKernel = f32KernelSelected();
  } catch (e) {
    throw new EngineError((e as Error).message);
  }
  if (fusedKernel && !kernelModule('two-layer-f32')) throw new EngineError(`${F32_KERNEL_ENV}=wasm, but src/kernels/two-layer-f32.wasm could not be loaded (WebAssembly SIMD128 missing?)`);
  const key = `${backend}${fusedKernel ? ' f32-kernel' : ''}`;
  let pending = tfjsEngines.get(key);
  if (!pending) {
    pending = (async () => {
      const tf = await loadTf();
      const notes: string[] = [`@tensorflow/tfjs ${tf.version.tfjs}`];
      if (fusedKernel) notes.push(`${F32_KERNEL_ENV}=wasm: the two-layer ReLU net's float32 GD steps run in the fused wasm kernel src/kernels/two-layer-f32.c, not in TensorFlow.js (every other model still runs in TensorFlow.js)`);
      let used: BackendId = backend;
      if (backend === 'tensorflow') {
        const loaded = await loadTensorflowBackend();
        if (!loaded) throw new EngineError("backend 'tensorflow' needs the optional package @tensorflow/tfjs-node-gpu (NVIDIA GPU) or @tensorflow/tfjs-node (CPU), neither of which is installed (use --backend wasm or cpu)");
        notes.push(`${loaded} (native libtensorflow${loaded.endsWith('-gpu') ? ', CUDA' : ''})`);
      }
      let ok = false;
      try {
        ok = await tf.setBackend(backend);
        await tf.ready();
      } catch (e) {
        notes.push(`backend ${backend} failed to start: ${(e as Error).message}`);
        ok = false;
      }
      if (!ok) {
        if (backend !== 'wasm') throw new EngineError(`tfjs backend '${backend}' could not be started`);
        notes.push('wasm backend unavailable; fell back to cpu');
        used = 'cpu';
        if (!(await tf.setBackend('cpu'))) throw new EngineError('neither the wasm nor the cpu tfjs backend could be started');
        await tf.ready();
      }
      return Object.freeze({ id: 'tfjs', backend: used, precision: 'float32', eps: 2 ** -24, relTol: 1e-5, notes, tf, twoLayerF32Kernel: fusedKernel }) as TfjsEngine;
    })();
    tfjsEngines.set(key, pending);
  }
  const engine = await pending;
  // Several engines may share the one tf instance: make sure this one's backend is the active one.
  if (engine.tf.getBackend() !== engine.backend) {
    await engine.tf.setBackend(engine.backend);
    await engine.tf.ready();
  }
  return engine;
}

export async function getEngine(id: EngineId, backend?: BackendId): Promise<Engine> {
  if (id === 'f64') {
    if (backend && backend !== 'js') throw new EngineError(`the f64 engine runs in plain TypeScript; --backend ${backend} applies to --engine tfjs`);
    return f64Engine;
  }
  if (backend === 'js') throw new EngineError("backend 'js' belongs to the f64 engine; tfjs backends are wasm, cpu, tensorflow");
  return tfjsEngine(backend ?? 'wasm');
}
