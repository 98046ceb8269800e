/**
 * `provably new <family>/<claim>`: a theorem file to start from. It is a complete, checkable
 * theorem (gradient descent on (L/2)‖x‖², with a regime that holds and a `broken:` regime that
 * must be caught), so `provably check <id> --budget ci` passes the moment it is written; every
 * part to replace says so. A family without a CI test file gets one, so `npm test` checks it.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { MAX_ID_LENGTH } from './theorem/define.ts';
import { dirname, join } from 'node:path';

export class ScaffoldError extends Error {}

const ID = /^([a-z0-9][a-z0-9-]*)\/([a-z0-9][a-z0-9.-]*)$/;

export interface Scaffolded {
  readonly theoremFile: string;
  /** The family's CI test file, when this call wrote it. */
  readonly testFile?: string;
}

/** Write the template for `id` under `theoremsDir` (and the family's test file under `testDir`, if given and missing). */
export function scaffoldTheorem(id: string, theoremsDir: string, testDir?: string): Scaffolded {
  const m = ID.exec(id);
  if (!m) throw new ScaffoldError(`'${id}' is not of the form <family>/<claim> (lower case, digits and '-', e.g. classic/my-rate)`);
  const [, family, claim] = m;
  if (claim.startsWith('_')) throw new ScaffoldError(`'${claim}': files starting with '_' are helpers, not theorems`);
  if (id.length > MAX_ID_LENGTH) throw new ScaffoldError(`'${id.slice(0, 40)}…' has ${id.length} characters; ids have at most ${MAX_ID_LENGTH}`);
  const theoremFile = join(theoremsDir, family, `${claim}.ts`);
  if (existsSync(theoremFile)) throw new ScaffoldError(`${theoremFile} already exists; not overwritten`);
  // mkdirSync returns the first folder it made: if the write fails, nothing is left behind.
  const made = mkdirSync(dirname(theoremFile), { recursive: true });
  try {
    writeFileSync(theoremFile, theoremTemplate(id), { flag: 'wx' });
  } catch (e) {
    if (made) rmSync(made, { recursive: true, force: true });
    throw e;
  }
  if (!testDir) return { theoremFile };
  const testFile = join(testDir, `${family}.test.ts`);
  if (existsSync(testFile)) return { theoremFile };
  mkdirSync(testDir, { recursive: true });
  writeFileSync(testFile, `import { checkFamily } from '../helpers/check-family.ts';\n\nawait checkFamily('${family}');\n`, { flag: 'wx' });
  return { theoremFile, testFile };
}

/** The placeholder theorem file `provably new` writes (also the base of the type-error tests). */
export function theoremTemplate(id: string): string {
  return `/**
 * TODO: the claim in one sentence, and why it holds (PEPit's examples put the proof sketch here).
 *
 * This file was written by \`provably new\` and checks a placeholder theorem until you replace it:
 * gradient descent on f(x) = (L/2)‖x‖² contracts the gap by (1 − ηL)² per step, so for
 * 0 < η ≤ 1/L it is below (1 − ηL)^k f(x0); with η ∈ [2.5/L, 3/L] the iterates grow and the
 * broken regime must catch it, shrinking to dimension 1.
 */
import { defineTheorem, fc, numerics, type Budget } from 'provably';

const { rng, normals, norm2 } = numerics;

/** What fast-check draws (and shrinks): small numbers and seeds; the instance is built from them. */
interface Params {
  readonly d: number;
  readonly L: number;
  readonly stepTimesL: number;
  readonly seed: number;
  readonly steps: number;
}

interface Instance extends Params {
  readonly x0: Float64Array;
}

const draw = (stepTimesL: fc.Arbitrary<number>) => (budget: Budget) =>
  fc.record({
    d: fc.integer({ min: 1, max: 8 }),
    L: fc.double({ min: 0.1, max: 10, noNaN: true }),
    stepTimesL,
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
    steps: fc.constant(budget === 'ci' ? 100 : 500),
  });

export default defineTheorem({
  id: '${id}',
  title: 'TODO: the title of the claim',
  provenance: {
    authors: ['TODO Author'],
    year: 2026,
    title: 'TODO: the paper’s title',
    // arxiv: '2601.00001',
    locator: 'TODO: Theorem 1',
    // 'read' only once the statement was checked word for word against the paper.
    fidelity: 'recalled',
    fidelityNote: 'TODO: what was read, and what was recalled or derived.',
  },
  kind: 'bound',
  statement: String.raw\`TODO: the theorem as the paper states it. Placeholder: for $f(x)=\\tfrac L2\\|x\\|^2$ and $0<\\eta\\le 1/L$, gradient descent satisfies $f(x_k)\\le(1-\\eta L)^k f(x_0)$.\`,
  engines: { default: 'f64', supported: ['f64'] },

  build: (p: Params): Instance => ({ ...p, x0: normals(rng(p.seed, 1), p.d) }),
  summarize: (q) => ({ d: q.d, 'η·L': q.stepTimesL }),

  constants: {
    L: { tex: 'L', about: 'smoothness' },
    eta: { tex: '\\\\eta', about: 'step size' },
    gap0: { tex: 'f(x_0)' },
    xscale: { tex: 'x_{\\\\mathrm{scale}}', about: '‖x0‖: sets the float noise floor' },
  },
  computeConstants: (q) => ({ L: q.L, eta: q.stepTimesL / q.L, gap0: (q.L / 2) * norm2(q.x0) ** 2, xscale: norm2(q.x0) }),

  // Hypotheses are measured on every instance, never assumed.
  hypotheses: [{ name: 'step size', tex: '0 < \\\\eta \\\\le 1/L', measure: (_q, c) => ({ measured: c.eta, relation: '<=', required: 1 / c.L }) }],

  series: { gap: { tex: 'f(x_k)' } },
  run: async (q, c) => {
    const x = Float64Array.from(q.x0);
    const gap = new Float64Array(q.steps + 1);
    for (let k = 0; k <= q.steps; k++) {
      gap[k] = (q.L / 2) * norm2(x) ** 2;
      for (let i = 0; i < q.d; i++) x[i] -= c.eta * q.L * x[i];
    }
    return { series: { gap }, steps: q.steps };
  },

  conclusions: [
    {
      kind: 'bound',
      name: 'linear rate',
      measured: 'gap',
      relation: '<=',
      bound: '(1 - eta*L)^k * gap0',
      trivial: 'gap0',
      // Rounding of x, of order eps·‖x0‖, squared and scaled by L.
      floor: 'L * (8 * eps * xscale)^2',
      guarantee: 'upper',
    },
  ],

  regimes: {
    theorem: {
      about: 'dimension 1–8, L ∈ [0.1, 10], η = c/L with c ∈ [0.05, 1]',
      draw: draw(fc.double({ min: 0.05, max: 1, noNaN: true })),
      expect: 'holds',
      runs: { ci: 10, full: 50 },
    },
    'broken:step-size': {
      about: 'η = c/L with c ∈ [2.5, 3]: the iterates grow',
      draw: draw(fc.double({ min: 2.5, max: 3, noNaN: true })),
      expect: 'violated',
      runs: { ci: 5, full: 20 },
      shrinksTo: { about: 'dimension 1', check: (p) => p.d === 1 },
    },
  },
});
`;
}
