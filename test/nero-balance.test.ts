/**
 * Nero's balance is judged per neuron against its float64 rounding allowance, which grows with the
 * conditioning κ of the row projected (theorems/nonsmooth/nero-balanced-invariants.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkInstance, checkParams } from '../src/check/instance.ts';
import { engineFor } from '../src/check/runner.ts';
import { loadTheorems } from '../src/theorem/registry.ts';

const ID = 'nonsmooth/nero-balanced-invariants';
// CI seed 20's refutation before the allowance: layer 0 row 2 starts at (−0.854747, −0.851404),
// κ = 362, and balances to mean 2.35e-14 = 212u, over the former tolerance 16·u·d = 32u.
const SEED20 = { inputs: 2, hidden: [3], outputs: 1, samples: 4, lr: 0.001, constraints: true, dataSeed: 0, initSeed: 1073741815, steps: 40 };

describe('Nero balance within float64 rounding', async () => {
  const thm = (await loadTheorems()).find(({ theorem }) => theorem.id === ID)!.theorem;
  const engine = await engineFor(thm);
  const balanced = (o: Awaited<ReturnType<typeof checkParams>>) => o.conclusions.find((c) => c.name === 'balanced neurons')!;

  it('holds on the ill-conditioned initial row of CI seed 20', async () => {
    const o = await checkParams(thm, SEED20, engine, 'ci');
    expect(o.hypothesesMet).toBe(true);
    expect(o.verdict).toBe('holds');
  });

  it('catches a row off balance by far less than the old tolerance allowed', async () => {
    const inst = thm.spec.build(SEED20) as { params0: Float64Array[] };
    // Row 0 of layer 0 starts at (−0.493237, −0.107615), κ = 1.81: allowance (4κ + √2 + 4/√2)u =
    // 11.5u = 1.28e-15 for its mean. Shift its mean alone by 4e-15 = 36u (the norm of (a, −a) + ε·1
    // does not move to first order), which the former tolerance 16·u·3 = 5.33e-15 let through.
    inst.params0[0][0] += 4e-15;
    inst.params0[0][1] += 4e-15;
    const o = await checkInstance(thm, inst, { engine, budget: 'ci' });
    expect(balanced(o).verdict).toBe('violated');
  });

  it('a neuron with one input is outside the theorem (it cannot be balanced: nero.py gives NaN)', async () => {
    const o = await checkParams(thm, { ...SEED20, hidden: [1, 3] }, engine, 'ci');
    expect(o.hypotheses.find((h) => h.name === 'two inputs per neuron')).toMatchObject({ holds: false, measured: 1 });
    expect(o.hypothesesMet).toBe(false);
  });
});
