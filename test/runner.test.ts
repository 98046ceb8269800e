import { describe, expect, it } from 'vitest';
import { checkRegime, replay } from '../src/check/runner.ts';
import { serialize, type Result } from '../src/record/result.ts';
import { loadTheorems } from '../src/theorem/registry.ts';
import { falseTheorem, float32OnlyTheorem, vacuousTheorem } from './helpers/toy-theorems.ts';

const withoutRun = ({ run: _run, ...rest }: Result) => serialize(rest);

describe('the runner', () => {
  it('reports a deliberately false theorem as refuted, with a shrunk counterexample', async () => {
    const r = await checkRegime(falseTheorem, 'theorem', { budget: 'ci', seed: 3 });
    expect(r.counts.refutations).toBeGreaterThan(0);
    expect(r.counts.refutations).toBe(r.counts.violated);
    expect(r.expectation.met).toBe(false);
    expect(r.expectation.observed).toMatch(/^REFUTED/);
    expect(r.counterexample?.hypothesesMet).toBe(true);
    expect((r.counterexample?.params as { spectrum: number[] }).spectrum).toHaveLength(1);
  });

  it('calls a bound that is never stronger than the trivial one vacuous, not a success', async () => {
    const r = await checkRegime(vacuousTheorem, 'theorem', { budget: 'ci', seed: 3 });
    expect(r.counts.vacuous).toBe(r.counts.instances);
    expect(r.counts.holds).toBe(0);
    expect(r.expectation.met).toBe(false); // 'holds' expects at least one instance where the bound says something
  });

  it("evaluates only the conclusions a regime names, and records which", async () => {
    const deep = (await loadTheorems()).find(({ theorem }) => theorem.id === 'overparam/du-deep-mlp-rate')!.theorem;
    const r = await checkRegime(deep, 'proxy', { budget: 'ci', seed: 1, runs: 1 });
    expect(r.regime.conclusions).toEqual(['linear rate']);
    expect(r.instances[0].conclusions.map((c) => c.name)).toEqual(['linear rate']);
  });

  it('does not report a float32 violation the float64 engine does not confirm', async () => {
    const r = await checkRegime(float32OnlyTheorem, 'theorem', { budget: 'ci', seed: 1 });
    expect(r.settings.engine.precision).toBe('float32');
    expect(r.counts.violated).toBe(0);
    expect(r.counts.unconfirmed).toBe(r.counts.instances);
    expect(r.counts.inconclusive).toBe(r.counts.instances);
    expect(r.instances[0].confirmation?.verdict).toBe('holds');
    // ... and in float64 alone it is simply true:
    const r64 = await checkRegime(float32OnlyTheorem, 'theorem', { budget: 'ci', seed: 1, engine: 'f64' });
    expect(r64.counts.holds).toBe(r64.counts.instances);
  });

  it('gives the same result bytes for the same seed and engine (f64 and tfjs)', async () => {
    const [{ theorem: du }] = (await loadTheorems()).filter((t) => t.theorem.id === 'overparam/du-two-layer-gd-rate');
    for (const [thm, regime, runs] of [[falseTheorem, 'theorem', 6], [du, 'proxy', 2]] as const) {
      const a = await checkRegime(thm, regime, { budget: 'ci', seed: 11, runs });
      const b = await checkRegime(thm, regime, { budget: 'ci', seed: 11, runs });
      expect(withoutRun(a)).toBe(withoutRun(b));
      const c = await checkRegime(thm, regime, { budget: 'ci', seed: 12, runs });
      expect(withoutRun(c)).not.toBe(withoutRun(a));
    }
  });

  it('replays a shrunk counterexample exactly from its seed and path', async () => {
    const r = await checkRegime(falseTheorem, 'broken:nothing', { budget: 'ci', seed: 5 });
    const cx = r.counterexample!;
    expect(cx.path).toMatch(/^\d+(:\d+)+$/);
    const again = await replay(falseTheorem, { regime: 'broken:nothing', seed: 5, path: cx.path, budget: 'ci' });
    expect(again.params).toEqual(cx.params);
    expect(again.verdict).toBe('violated');
    expect(again.conclusions).toEqual(cx.conclusions);
  });
});
