/**
 * Every registered theorem of one family, every regime, at the CI budget: a regime that does not
 * behave as it expects (a refutation, a broken regime that finds nothing, a counterexample that
 * does not shrink to what it should) fails the suite. One test file per family lets vitest run
 * families in parallel; test/theorems/families.test.ts fails if a family has no file.
 * Seed 1 by default; test/theorems/other-seeds.test.ts runs the cheaper families at other seeds,
 * since an expectation that holds only at the seed it was tuned on is no evidence.
 */
import { describe, expect, it } from 'vitest';
import { checkRegime } from '../../src/check/runner.ts';
import { loadTheorems } from '../../src/theorem/registry.ts';

export async function checkFamily(family: string, seed = 1): Promise<void> {
  const theorems = (await loadTheorems()).filter(({ theorem }) => theorem.family === family);
  describe.each(theorems.map(({ theorem }) => [theorem.id, theorem] as const))(`%s (seed ${seed})`, (_id, theorem) => {
    it.each(theorem.regimeNames.map((r) => [r]))('regime %s behaves as it expects', async (regime) => {
      const r = await checkRegime(theorem, regime, { budget: 'ci', seed });
      expect(r.expectation.met, r.expectation.observed).toBe(true);
      expect(r.counts.instances).toBeGreaterThan(0);
      if (r.regime.expect === 'violated') expect(r.counterexample?.replay.path).toBeTruthy();
    });
  });
}
