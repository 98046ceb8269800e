/**
 * Results files. A record (schema provably.result/3): instances no page details are summarised,
 * those it details keep what it shows of them, packed by columns with repeated values stored once.
 * A file (provably.result/4): one theorem's records, its theorem record once. Nothing a page shows is
 * lost: pages rendered from the committed results (or the /2 fixtures) and from the same results
 * written as /4 files are the same bytes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pack, unpack } from '../src/record/columns.ts';
import { legacyResultPath, parseResultFile, readResults, removeResult, RESULT_FILE_SCHEMA, RESULT_SCHEMA, resultFileText, resultFiles, ResultFileError, resultPath, serialize, slimResult, writeResult, type Result } from '../src/record/result.ts';
import { resultDigest } from '../src/report/history.ts';
import { writeReports } from '../src/report/write.ts';

const RESULTS = join(import.meta.dirname, '..', 'reports', 'results');
/** Results written as provably.result/2 (test/fixtures/results): an older schema this provably still reads. */
const V2_FIXTURES = join(import.meta.dirname, 'fixtures', 'results');
const tmp = mkdtempSync(join(tmpdir(), 'provably-result-file-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The Markdown pages and SVG plots under two report folders: the same files, byte for byte. */
function expectSamePages(a: string, b: string): void {
  const files = (d: string) => readdirSync(d, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(d, f)).isFile() && /\.(md|svg)$/.test(f)).sort();
  const names = files(a);
  expect(names.length).toBeGreaterThan(10);
  expect(files(b)).toEqual(names);
  for (const f of names) expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
}

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
    expect(() => pack([{ $dict: 1 }, { $dict: 2 }])).toThrow(/reserved key \$dict/);
  });

  it('stores a repeated value once: a constant column, few distinct values, an arithmetic run', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ index: i, path: String(i), name: 'linear rate', verdict: ['holds', 'violated', 'vacuous'][i % 3], x: [1, 2, 3, 5], lengths: [3, 3, 3], t: i / 7 }));
    const packed = pack(rows) as { $table: Record<string, unknown> };
    expect(packed.$table.index).toEqual({ $from: 0, $step: 1, $n: 60 });
    expect(packed.$table.path).toEqual({ $fromText: 0, $step: 1, $n: 60 });
    expect(packed.$table.name).toEqual({ $same: 'linear rate', $n: 60 });
    expect(packed.$table.verdict).toEqual({ $dict: ['holds', 'violated', 'vacuous'], $codes: rows.map((_, i) => i % 3) });
    expect(packed.$table.x).toEqual({ $same: [1, 2, 3, 5], $n: 60 });
    expect(Array.isArray(packed.$table.t)).toBe(true); // no repeats: as it is
    const back = unpack(JSON.parse(JSON.stringify(packed))) as typeof rows;
    expect(serialize(back)).toBe(serialize(rows));
    back[0].x.push(8); // rows sharing a stored value are still separate objects
    expect(back[1].x).toEqual([1, 2, 3, 5]);
    // Not a run: a non-integer step, a -0, a string that is not a plain decimal integer.
    for (const v of [[0, 0.5, 1], [-0, 1, 2], ['01', '02', '03'], ['1', '2', 'x']]) expect(serialize(unpack(JSON.parse(JSON.stringify(pack(v)))))).toBe(serialize(v));
  });
});

describe('results files', () => {
  const originals = readResults([RESULTS]);

  it('every committed theorem, written as one /4 file, reads back as its slimmed records in any order of writing, and writing them again gives the same bytes', () => {
    expect(originals.length).toBeGreaterThan(50);
    const byTheorem = new Map<string, Result[]>();
    for (const r of originals) byTheorem.set(r.theorem.id, [...(byTheorem.get(r.theorem.id) ?? []), r]);
    expect(byTheorem.size).toBeGreaterThan(20);
    for (const [id, rs] of byTheorem) {
      const text = resultFileText(rs);
      expect(JSON.parse(text).schema).toBe(RESULT_FILE_SCHEMA);
      expect(text.split('"statement":').length - 1, id).toBe(1); // the theorem record once
      const back = parseResultFile(text, 'x.json');
      expect(back.map((b) => b.regime.name).sort(), id).toEqual(rs.map((r) => r.regime.name).sort());
      for (const b of back) {
        const r = rs.find((x) => x.regime.name === b.regime.name)!;
        expect(b.schema).toBe(RESULT_SCHEMA);
        expect(serialize(b), `${id} ${b.regime.name}`).toBe(serialize(slimResult(r)));
        // The history finds a result by its digest: the same before writing and after reading.
        expect(resultDigest(b)).toBe(resultDigest(r));
      }
      expect(resultFileText(back), id).toBe(text);
      expect(resultFileText([...rs].reverse()), id).toBe(text); // which regime finished first changes nothing
    }
  });

  it('a theorem\'s file: each regime written replaces its own record, folds in the /3 files of the layout before, and a record of another version of the theorem keeps its own', () => {
    const rs = originals.filter((r) => r.theorem.id === 'overparam/du-two-layer-gd-rate' && r.schema === RESULT_SCHEMA);
    expect(rs.length).toBeGreaterThanOrEqual(3);
    const dir = join(tmp, 'store');
    const id = rs[0].theorem.id;
    // The layout before /4: a file per regime, and one /2 file, which stays where it is (folding would slim it).
    for (const r of rs.slice(1)) {
      mkdirSync(dirname(legacyResultPath(dir, id, r.regime.name)), { recursive: true });
      writeFileSync(legacyResultPath(dir, id, r.regime.name), resultFileText([r]));
    }
    const v2 = join(dirname(legacyResultPath(dir, id, 'x')), 'old~v2.json');
    writeFileSync(v2, serialize({ ...rs[0], schema: 'provably.result/2', regime: { ...rs[0].regime, name: 'old:v2' } }));
    expect(writeResult(dir, rs[0])).toBe(resultPath(dir, id));
    for (const r of rs.slice(1)) expect(existsSync(legacyResultPath(dir, id, r.regime.name))).toBe(false);
    expect(existsSync(v2)).toBe(true);
    expect(readFileSync(resultPath(dir, id), 'utf8')).toBe(resultFileText(rs));
    expect(readResults([dir]).map((r) => r.regime.name).sort()).toEqual([...rs.map((r) => r.regime.name), 'old:v2'].sort());
    rmSync(v2);
    // A regime checked again after the theorem changed: the file takes the new theorem record, the regimes checked before keep theirs.
    const edited = { ...rs[1], theorem: { ...rs[1].theorem, statement: 'edited' } };
    writeResult(dir, edited);
    const text = readFileSync(resultPath(dir, id), 'utf8');
    expect(text.split('"statement":').length - 1).toBe(rs.length); // the new one at the top, the old one in each regime checked before
    const back = parseResultFile(text, 'x');
    expect(back.find((b) => b.regime.name === rs[1].regime.name)!.theorem.statement).toBe('edited');
    for (const b of back.filter((b) => b.regime.name !== rs[1].regime.name)) expect(b.theorem.statement).toBe(rs[0].theorem.statement);
    // Removing regimes: the file keeps the rest, and goes with the last one.
    expect(removeResult(dir, id, rs[1].regime.name)).toBe(resultPath(dir, id));
    expect(parseResultFile(readFileSync(resultPath(dir, id), 'utf8'), 'x').map((b) => b.regime.name)).toEqual(rs[0].theorem.regimes.map((r) => r.name).filter((n) => n !== rs[1].regime.name)); // in the theorem's order
    expect(removeResult(dir, id, 'broken:never-ran')).toBeNull();
    for (const r of rs) if (r !== rs[1]) removeResult(dir, id, r.regime.name);
    expect(existsSync(resultPath(dir, id))).toBe(false);
  });

  it('a /4 file that lacks its theorem record or its regimes, or holds an incomplete regime, is refused naming the file and the regime', () => {
    const r = originals[0];
    const text = JSON.parse(resultFileText([r]));
    expect(() => parseResultFile(JSON.stringify({ ...text, theorem: undefined }), 'a.json')).toThrow(/a\.json: a provably\.result\/4 file without its 'theorem' record/);
    expect(() => parseResultFile(JSON.stringify({ ...text, regimes: [] }), 'b.json')).toThrow(/b\.json: a provably\.result\/4 file without 'regimes'/);
    const { counts: _c, ...partial } = text.regimes[0];
    expect(() => parseResultFile(JSON.stringify({ ...text, regimes: [text.regimes[0], partial] }), 'c.json')).toThrow(new RegExp(`c\\.json: regimes\\[1\\] \\(${r.regime.name.replace(/[~:]/g, '.')}\\): not a complete result record: 'counts' missing`));
    expect(() => resultFileText([r, r])).toThrow(/regime .* given twice/);
  });

  it('keeps whole the instances pages detail, and summarises the rest to what pages show', () => {
    const r = originals.find((x) => x.theorem.id === 'overparam/du-two-layer-gd-rate' && x.regime.name === 'proxy')!;
    const summarised = slimResult(r);
    const whole = new Set([...r.worst.map((w) => w.index), ...r.worstCurves.map((c) => c.index)]);
    for (const [j, i] of summarised.instances.entries()) {
      const was = r.instances[j];
      expect(i.verdict).toBe(was.verdict);
      expect(i.conclusions.map((c) => [c.name, c.verdict, c.tightness, c.assessedSteps, c.violatedSteps])).toEqual(was.conclusions.map((c) => [c.name, c.verdict, c.tightness, c.assessedSteps, c.violatedSteps]));
      expect(i.hypotheses.filter((h) => !h.holds).map((h) => h.name)).toEqual(was.hypotheses.filter((h) => !h.holds).map((h) => h.name));
      if (whole.has(i.index)) expect(i).toEqual(was);
      else {
        expect(i.params).toBeUndefined();
        expect(Object.keys(i.constants).length).toBeLessThanOrEqual(5);
        expect(i.conclusions.every((c) => c.reason === undefined)).toBe(true);
      }
    }
    // A trend keeps the observations of the instance its page tabulates. The other instances its
    // figure plots keep the points drawn (schema /3) or, when recorded before /3 had points, their
    // observations; every other instance counts what it left out.
    const observed = (i: Result['instances'][number]) => i.conclusions.some((c) => c.trend && (c.trend.observations.length > 0 || (c.trend.observationsOmitted ?? 0) > 0));
    const trend = originals.find((x) => x.theorem.conclusions.filter((c) => c.kind === 'trend').length === 1 && x.instances.filter(observed).length > 4)!;
    expect(trend).toBeDefined();
    const slim = slimResult(trend).instances;
    const kept = slim.filter((i) => i.conclusions.some((c) => c.trend && c.trend.observations.length > 0));
    const omitted = slim.filter((i) => i.conclusions.some((c) => (c.trend?.observationsOmitted ?? 0) > 0));
    // (the tabulated instance keeps its points too: its figure draws four series in all)
    const withPoints = slim.filter((i) => i.conclusions.some((c) => c.trend?.points) && !kept.includes(i));
    if (trend.schema === RESULT_SCHEMA) {
      expect(kept.length).toBe(1);
      expect(withPoints.length).toBeGreaterThanOrEqual(1);
      expect(withPoints.length).toBeLessThanOrEqual(3);
      expect(slimResult(trend)).toEqual(trend); // a /3 file is already slim
    } else {
      expect(kept.length).toBeGreaterThanOrEqual(4);
      expect(withPoints.length).toBe(0);
    }
    expect(kept[0]).toEqual(trend.instances.filter(observed)[0]);
    expect(kept.length + omitted.length).toBe(trend.instances.filter(observed).length);
  });

  it('the /2 fixtures are read, and their pages and plots are the bytes of those from the same results written as /3', async () => {
    const v2 = readResults([V2_FIXTURES]);
    expect(v2.length).toBeGreaterThan(3);
    for (const r of v2) expect(r.schema).toBe('provably.result/2');
    const dir = join(tmp, 'v2-as-v3');
    for (const r of readResults([V2_FIXTURES])) writeResult(dir, r);
    expect(readResults([dir]).every((r) => r.schema === RESULT_SCHEMA)).toBe(true);
    expect(resultFiles([dir]).length).toBe(new Set(readResults([V2_FIXTURES]).map((r) => r.theorem.id)).size); // a file per theorem
    await writeReports([V2_FIXTURES], join(tmp, 'from-fixture-v2'), { history: null });
    await writeReports([dir], join(tmp, 'from-fixture-v3'), { history: null });
    expectSamePages(join(tmp, 'from-fixture-v2'), join(tmp, 'from-fixture-v3'));
  }, 120_000);

  it('pages and plots from /4 files are the bytes of those from the committed results', async () => {
    // A bound theorem with a slack search and counterexamples, and a family with trends.
    const picked = ['overparam/du-two-layer-gd-rate', 'flow/poggio-logistic-max-margin', 'flow/cayci-rnn-sensitivity-cutoff'].flatMap((id) => [resultPath(RESULTS, id), legacyResultPath(RESULTS, id, 'x').replace(/\/x\.json$/, '')]).filter((p) => existsSync(p));
    const slimDir = join(tmp, 'slim');
    for (const r of readResults(picked)) writeResult(slimDir, r);
    await writeReports(picked, join(tmp, 'from-v1'), { history: null });
    await writeReports([slimDir], join(tmp, 'from-v2'), { history: null }); // (from the current schema)
    expectSamePages(join(tmp, 'from-v1'), join(tmp, 'from-v2'));
  }, 120_000);

  it('reads provably.result/1 files as written, and rejects another schema naming the ones it reads', () => {
    // (provably.result/2 files: the fixtures, read above.)
    const v1 = { ...(originals[0] as Result), schema: 'provably.result/1' };
    expect(parseResultFile(serialize(v1), 'old.json')[0].instances).toEqual(originals[0].instances);
    expect(() => parseResultFile(serialize({ ...v1, schema: 'provably.result/9' }), 'future.json')).toThrow(ResultFileError);
    expect(() => parseResultFile(serialize({ ...v1, schema: 'provably.result/9' }), 'future.json')).toThrow(/future\.json: schema "provably\.result\/9" is not one this provably reads \(provably\.result\/4, provably\.result\/3, provably\.result\/2 or provably\.result\/1\)/);
    expect(() => parseResultFile('{', 'cut.json')).toThrow(/cut\.json: not valid JSON/);
  });
});
