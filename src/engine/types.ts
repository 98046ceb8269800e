/**
 * Engines run the training. `f64` is plain TypeScript on Float64Array: the reference, used for
 * constants, for confirming float32 violations, and for anything near convergence. `tfjs` is
 * TensorFlow.js (float32) on an explicitly chosen backend.
 */
export type EngineId = 'f64' | 'tfjs';
export type BackendId = 'js' | 'wasm' | 'cpu' | 'tensorflow';

export interface Engine {
  readonly id: EngineId;
  readonly backend: BackendId;
  readonly precision: 'float64' | 'float32';
  /** Unit roundoff: 2^-53 for float64, 2^-24 for float32. Bound floors are written in it. */
  readonly eps: number;
  /** Relative slack ε_rel in lhs ≤ rhs·(1 + ε_rel) + floor. */
  readonly relTol: number;
  /** Anything the engine wants recorded (library versions, fallbacks taken). */
  readonly notes: readonly string[];
}

export type TfModule = typeof import('@tensorflow/tfjs');

export interface TfjsEngine extends Engine {
  readonly id: 'tfjs';
  readonly tf: TfModule;
  /**
   * The two-layer ReLU net's GD step runs in the fused float32 wasm kernel instead of TensorFlow.js
   * (PROVABLY_F32_KERNEL=wasm when the engine was made; recorded in `notes`). Default false.
   */
  readonly twoLayerF32Kernel?: boolean;
}

export function isTfjs(e: Engine): e is TfjsEngine {
  return e.id === 'tfjs';
}
