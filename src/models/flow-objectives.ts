/**
 * Seeded instances of the objectives in objectives.ts, drawn by kind: what the generic flow
 * theorems (energy identity, PL rate) run on.
 */
import { normals, rng, signs, uniforms } from '../numerics/random.ts';
import { leastSquares, logisticLoss, quartic, sinePlusQuadratic, twoFactorDiagonal, type Objective } from './objectives.ts';

export type ObjectiveKind = 'least-squares' | 'logistic' | 'sine-pl' | 'diagonal-net' | 'quartic';

export interface ObjectiveDraw {
  readonly kind: ObjectiveKind;
  /** Dimension of the parameters (for diagonal-net: of w = u⊙v, the state has 2d). */
  readonly d: number;
  /** Data points (least-squares, logistic, diagonal-net). */
  readonly n: number;
  readonly seed: number;
}

export interface SeededObjective {
  readonly objective: Objective;
  readonly x0: Float64Array;
  /** Data, for the kinds that have it (row-major n×d). */
  readonly X?: Float64Array;
  readonly y?: Float64Array;
  /** Coefficients of the separable kinds. */
  readonly a?: Float64Array;
}

export function seededObjective(p: ObjectiveDraw): SeededObjective {
  const { d, n, seed } = p;
  switch (p.kind) {
    case 'least-squares': {
      const X = normals(rng(seed, 1), n * d, 1 / Math.sqrt(d));
      const y = normals(rng(seed, 2), n);
      return { objective: leastSquares(X, y, n, d), x0: normals(rng(seed, 3), d), X, y };
    }
    case 'logistic': {
      const X = normals(rng(seed, 1), n * d);
      const y = signs(rng(seed, 2), n);
      return { objective: logisticLoss(X, y, n, d), x0: normals(rng(seed, 3), d), X, y };
    }
    case 'sine-pl': {
      const a = uniforms(rng(seed, 1), d, 0.2, 2);
      return { objective: sinePlusQuadratic(a), x0: normals(rng(seed, 3), d, 3), a };
    }
    case 'quartic': {
      const a = uniforms(rng(seed, 1), d, 0.2, 2);
      return { objective: quartic(a), x0: normals(rng(seed, 3), d, 2), a };
    }
    case 'diagonal-net': {
      const X = normals(rng(seed, 1), n * d, 1 / Math.sqrt(d));
      const y = normals(rng(seed, 2), n);
      return { objective: twoFactorDiagonal(X, y, n, d), x0: normals(rng(seed, 3), 2 * d), X, y };
    }
  }
}
