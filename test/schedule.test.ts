/** The order --jobs workers take regimes in: longest first by their last recorded cost. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { longestFirst, nextFor, previousCost } from '../src/check/schedule.ts';
import { legacyResultPath, resultPath } from '../src/record/result.ts';

const tmp = mkdtempSync(join(tmpdir(), 'provably-schedule-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('longest first', () => {
  it('orders by cost, unknown costs first, ties in list order', () => {
    expect(longestFirst([5, null, 80, 5, 20, null])).toEqual([1, 5, 2, 4, 0, 3]);
    expect(longestFirst([])).toEqual([]);
  });

  it('reads the last cost from the result file: CPU time when recorded, else wall time, else nothing', () => {
    const put = (regime: string, text: string) => {
      const f = legacyResultPath(tmp, 'fam/claim', regime);
      mkdirSync(dirname(f), { recursive: true });
      writeFileSync(f, text);
    };
    put('theorem', JSON.stringify({ schema: 'provably.result/2', run: { durationMs: 9000, cpuMs: 4000 } }));
    put('proxy', JSON.stringify({ schema: 'provably.result/1', run: { durationMs: 700 } }));
    put('broken:x', '{ not json');
    expect(previousCost(tmp, 'fam/claim', 'theorem')).toBe(4000);
    expect(previousCost(tmp, 'fam/claim', 'proxy')).toBe(700);
    expect(previousCost(tmp, 'fam/claim', 'broken:x')).toBeNull();
    expect(previousCost(tmp, 'fam/claim', 'never-run')).toBeNull();
    // A theorem's file (provably.result/4) holds every regime's run block; it is read before the files of the older layout.
    writeFileSync(resultPath(tmp, 'fam/other'), JSON.stringify({ schema: 'provably.result/4', regimes: [{ regime: { name: 'theorem' }, run: { durationMs: 50, cpuMs: 30 } }, { regime: { name: 'proxy' }, run: { durationMs: 60 } }] }));
    expect(previousCost(tmp, 'fam/other', 'theorem')).toBe(30);
    expect(previousCost(tmp, 'fam/other', 'proxy')).toBe(60);
    expect(previousCost(tmp, 'fam/other', 'broken:y')).toBeNull();
  });

  it('a free worker takes a regime of a theorem it has run, else of one no other worker has run, else the next', () => {
    const theoremOf = (i: number) => ['a', 'a', 'b', 'c', 'b'][i];
    const none = new Set<string>();
    expect(nextFor([0, 1, 2, 3, 4], theoremOf, none, none)).toBe(0); // nothing run yet: longest first
    expect(nextFor([1, 2, 3, 4], theoremOf, none, new Set(['a']))).toBe(1); // a is warm in the other worker: b
    expect(nextFor([2, 3, 4], theoremOf, new Set(['b']), new Set(['a']))).toBe(0);
    expect(nextFor([3, 4], theoremOf, new Set(['a']), new Set(['b']))).toBe(0); // c is nobody's
    expect(nextFor([4], theoremOf, new Set(['a']), new Set(['b']))).toBe(0); // only b is left: taken all the same
    expect(nextFor([1, 3, 4], theoremOf, new Set(['b']), new Set(['a', 'c']))).toBe(2);
  });
});
