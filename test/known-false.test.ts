// A claim known to be false stays in the suite with CI green (issue 13, items 2 and 6): its
// `theorem` regime expects `violated`, the index shows the refutation and its minimal refuting
// instance, and rows from a trial (CI-budget) run are marked as such.
import { describe, expect, it } from 'vitest';
import { checkRegime } from '../src/check/runner.ts';
import { defineTheorem } from '../src/theorem/define.ts';
import { groupByTheorem, renderIndex } from '../src/report/markdown.ts';
import { falseTheorem } from './helpers/toy-theorems.ts';

const spec = falseTheorem.spec;
const knownFalse = defineTheorem({
  ...spec,
  id: 'toy/known-false',
  regimes: {
    theorem: {
      ...spec.regimes.theorem!,
      about: 'as published, hypotheses met: known to be false (the contraction is (1 − ημ)², not 1 − 2ημ)',
      expect: 'violated',
      shrinksTo: { about: 'a one-dimensional quadratic', check: (p) => p.spectrum.length === 1 },
    },
  },
});

describe('a known-false claim', () => {
  it('is refuted as expected: the regime behaves as it expects, so CI stays green', async () => {
    const r = await checkRegime(knownFalse, 'theorem', { budget: 'ci', seed: 1 });
    expect(r.counts.refutations).toBeGreaterThan(0);
    expect(r.expectation.met).toBe(true);
    expect(r.counterexample?.hypothesesMet).toBe(true);
    expect(r.counterexample?.shrinksTo?.met).toBe(true);

    const index = renderIndex(groupByTheorem([r]));
    const row = index.split('\n').find((l) => l.includes('[toy/known-false]'))!;
    expect(row).toMatch(/`theorem` REFUTED \(\d+\/\d+\) \(\*\*ci budget\*\*\)/);
    // The minimal refuting instance, in the counterexample column.
    expect(row).toContain('`theorem` refuted by: d = 1');
    expect(index).toMatch(/1 regime was checked at a budget other than the full one \(marked; `provably check --out <dir>`/);
  });
});

describe('the papers section of the index', () => {
  it("ends with the theorem folder's papers note (a seed paper with no claim, and why)", async () => {
    const r = await checkRegime(knownFalse, 'theorem', { budget: 'ci', seed: 1 });
    const papers = (note?: string) => renderIndex(groupByTheorem([r]), note ? { papersNote: note } : {}).split('## Papers')[1];
    expect(papers()).not.toContain('unidentified');
    expect(papers('**The unidentified seed paper.** No claim.\n')).toContain('**The unidentified seed paper.** No claim.');
  });

  it('reads the note the package ships (theorems/papers-note.md) into the index', async () => {
    const { readFileSync } = await import('node:fs');
    const note = readFileSync(new URL('../theorems/papers-note.md', import.meta.url), 'utf8');
    expect(note).toMatch(/unidentified seed paper/);
    expect(note).toMatch(/classic\//);
  });
});
