/**
 * Results files, schema provably.result/2: instances no page details are summarised, the file is
 * packed by columns, and nothing a page shows is lost: pages rendered from the committed results
 * and from the same results written as /2 files are the same bytes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pack, unpack } from '../src/record/columns.ts';
import { parseResultFile, readResults, RESULT_SCHEMA, resultFileText, resultFiles, ResultFileError, serialize, slimResult, type Result } from '../src/record/result.ts';
import { resultDigest } from '../src/report/history.ts';
import { writeReports } from '../src/report/write.ts';

const RESULTS = join(import.meta.dirname, '..', 'reports', 'results');
const tmp = mkdtempSync(join(tmpdir(), 'provably-result-file-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('packing by columns', () => {
  const cases: Record<string, unknown> = {
    'objects with the same keys': [{ a: 1, b: 'x' }, { a: 2, b: 'y' }],
    'keys missing in some rows, in one order': [{ a: 1, b: 2, c: 3 }, { a: 4, c: 6 }, { b: 8 }, { a: 0, b: 0, c: 0 }],
    'keys in two orders (no one order fits)': [{ a: 1, b: 2 }, { b: 3, a: 4 }, { a: 5, b: 6 }],
    'nested arrays of objects, some empty': [{ cs: [{ n: 'p', t: 0.5 }] }, { cs: [] }, { cs: [{ n: 'p', t: null }, { n: 'q', t: 2 }] }],
    'empty objects and single items': { e: [{}, {}], one: [{ a: 1 }], mixed: [{ a: 1 }, 2, 'x', null, [1, 2]] },
    'a sparse column': Array.from({ length: 9 }, (_, i) => (i === 4 ? { i, extra: { deep: [{ k: 1 }, { k: 2 }] } } : { i })),
  };
  it.each(Object.entries(cases))('%s: unpack(pack(x)) is x, with the same key order', (_name, value) => {
    const packed = pack(value);
    expect(serialize(unpack(JSON.parse(JSON.stringify(packed))))).toBe(serialize(value));
  });

  it('names each shared field once', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ tightness: i / 100, verdict: 'holds' }));
    const text = JSON.stringify(pack(rows));
    expect(text.match(/tightness/g)?.length).toBe(1);
    expect(text.length).toBeLessThan(JSON.stringify(rows).length / 2);
  });

  it('refuses data that uses its reserved keys', () => {
    expect(() => pack([{ $table: 1 }, { $table: 2 }])).toThrow(/reserved key \$table/);
  });
});

describe('results files', () => {
  const originals = readResults([RESULTS]);

  it('every committed result, written as /2, reads back as its slimmed record, and writing that again gives the same bytes', () => {
    expect(originals.length).toBeGreaterThan(50);
    for (const r of originals) {
      const text = resultFileText(r);
      const back = parseResultFile(text, 'x.json');
      expect(back.schema).toBe(RESULT_SCHEMA);
      expect(serialize(back), r.theorem.id).toBe(serialize(slimResult(r)));
      expect(resultFileText(back), r.theorem.id).toBe(text);
      // The history finds a result by its digest: the same before writing and after reading.
      expect(resultDigest(back)).toBe(resultDigest(r));
    }
  });

  it('keeps whole the instances pages detail, and summarises the rest to what pages show', () => {
    const r = originals.find((x) => x.theorem.id === 'overparam/du-two-layer-gd-rate' && x.regime.name === 'proxy')!;
    const summarised = slimResult(r);
    const whole = new Set([...r.worst.map((w) => w.index), ...r.worstCurves.map((c) => c.index)]);
    for (const [j, i] of summarised.instances.entries()) {
      const was = r.instances[j];
      expect(i.verdict).toBe(was.verdict);
      expect(i.conclusions.map((c) => [c.name, c.verdict, c.tightness, c.assessedSteps, c.violatedSteps])).toEqual(was.conclusions.map((c) => [c.name, c.verdict, c.tightness, c.assessedSteps, c.violatedSteps]));
      expect(i.hypotheses.filter((h) => !h.holds)).toEqual(was.hypotheses.filter((h) => !h.holds));
      if (whole.has(i.index)) expect(i).toEqual(was);
      else {
        expect(i.params).toBeUndefined();
        expect(Object.keys(i.constants).length).toBeLessThanOrEqual(5);
        expect(i.conclusions.every((c) => c.reason === undefined)).toBe(true);
      }
    }
    // A trend keeps the observations of the four instances its figure plots, and counts the rest.
    // (The committed results may be /1 files or /2 ones: either way the same holds.)
    const observed = (i: Result['instances'][number]) => i.conclusions.some((c) => c.trend && (c.trend.observations.length > 0 || (c.trend.observationsOmitted ?? 0) > 0));
    const trend = originals.find((x) => x.theorem.conclusions.filter((c) => c.kind === 'trend').length === 1 && x.instances.filter(observed).length > 4)!;
    expect(trend).toBeDefined();
    const slim = slimResult(trend).instances;
    const kept = slim.filter((i) => i.conclusions.some((c) => c.trend && c.trend.observations.length > 0));
    const omitted = slim.filter((i) => i.conclusions.some((c) => (c.trend?.observationsOmitted ?? 0) > 0));
    expect(kept.length).toBeGreaterThanOrEqual(4);
    expect(kept.slice(0, 4)).toEqual(trend.instances.filter(observed).slice(0, 4));
    expect(kept.length + omitted.length).toBe(trend.instances.filter(observed).length);
  });

  it('pages and plots from /2 files are the bytes of those from the committed results', async () => {
    // A bound theorem with a slack search and counterexamples, and a family with trends.
    const picked = [join(RESULTS, 'overparam', 'du-two-layer-gd-rate'), join(RESULTS, 'flow', 'poggio-logistic-max-margin'), join(RESULTS, 'flow', 'cayci-rnn-sensitivity-cutoff')];
    const slimDir = join(tmp, 'slim');
    for (const f of resultFiles(picked)) {
      const to = join(slimDir, relative(RESULTS, f));
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, resultFileText(readResults([f])[0]));
    }
    await writeReports(picked, join(tmp, 'from-v1'), { history: null });
    await writeReports([slimDir], join(tmp, 'from-v2'), { history: null });
    const files = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile() && /\.(md|svg)$/.test(f)).sort();
    const v1 = files(join(tmp, 'from-v1'));
    expect(v1.length).toBeGreaterThan(10);
    expect(files(join(tmp, 'from-v2'))).toEqual(v1);
    for (const f of v1) expect(readFileSync(join(tmp, 'from-v2', f), 'utf8'), f).toBe(readFileSync(join(tmp, 'from-v1', f), 'utf8'));
  }, 120_000);

  it('reads provably.result/1 files as written, and rejects another schema naming the ones it reads', () => {
    const v1 = { ...(originals[0] as Result), schema: 'provably.result/1' };
    expect(parseResultFile(serialize(v1), 'old.json').instances).toEqual(originals[0].instances);
    expect(() => parseResultFile(serialize({ ...v1, schema: 'provably.result/9' }), 'future.json')).toThrow(ResultFileError);
    expect(() => parseResultFile(serialize({ ...v1, schema: 'provably.result/9' }), 'future.json')).toThrow(/future\.json: schema "provably\.result\/9" is not one this provably reads \(provably\.result\/2 or provably\.result\/1\)/);
    expect(() => parseResultFile('{', 'cut.json')).toThrow(/cut\.json: not valid JSON/);
  });
});
