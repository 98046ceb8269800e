// Type-level tests: a theorem file with one mistake gives one tsc error, naming the field. Each case
// is the `provably new` template (src/scaffold.ts) with a few edits, so the cases follow the
// template as it changes; an edit that no longer finds its text fails the test. The files are
// written to test/.tmp-type-errors/ (ignored by git and by the main tsconfig) and compiled at once.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { theoremTemplate } from '../src/scaffold.ts';

const STATEMENT = '  statement: String.raw`';

interface Case {
  readonly name: string;
  /** `none`, or the error code and words the one error must contain. */
  readonly expect: string;
  readonly edits: readonly (readonly [string, string])[];
}

const CASES: readonly Case[] = [
  { name: 'scaffold-ok', expect: 'none', edits: [] },
  { name: 'misspelled-statement', expect: "TS2561 'statment' does not exist in type 'TheoremSpecInput<", edits: [[STATEMENT, '  statment: String.raw`']] },
  { name: 'missing-statement', expect: "TS2345 Property 'statement' is missing", edits: [[STATEMENT, '  // statement left out: String.raw`']] },
  { name: 'misspelled-expect', expect: "TS2561 'expct' does not exist in type 'Regime<", edits: [["      expect: 'violated',", "      expct: 'violated',"]] },
  {
    // P comes from build, not from a regime's draw: a union Params still gives one error.
    name: 'union-params-misspelled-statement',
    expect: "TS2561 'statment' does not exist in type 'TheoremSpecInput<",
    edits: [
      ['interface Params {', 'type Params = BaseParams | (BaseParams & { readonly extra: number });\ninterface BaseParams {'],
      ['interface Instance extends Params {\n  readonly x0: Float64Array;\n}', 'type Instance = Params & { readonly x0: Float64Array };'],
      [STATEMENT, '  statment: String.raw`'],
    ],
  },
];

const DIR = resolve('test/.tmp-type-errors');
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** Writes every case; returns the edits that did not find their text (the template moved on). */
function writeCases(): string[] {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: ['*.ts'], exclude: [] }));
  const missing: string[] = [];
  for (const c of CASES) {
    let text = theoremTemplate(`type-errors/${c.name}`);
    for (const [from, to] of c.edits) {
      if (!text.includes(from)) missing.push(`${c.name}: ${JSON.stringify(from)}`);
      text = text.replace(from, to);
    }
    writeFileSync(join(DIR, `${c.name}.ts`), text);
  }
  return missing;
}

/** tsc's diagnostics per file; a diagnostic's elaboration (indented lines) joins its first line. */
function compile(): { byFile: Map<string, string[]>; unplaced: string[] } {
  let out = '';
  try {
    execFileSync(join('node_modules', '.bin', 'tsc'), ['-p', join(DIR, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  const byFile = new Map<string, string[]>(CASES.map((c) => [`${c.name}.ts`, []]));
  const unplaced: string[] = [];
  let last: string[] | null = null;
  for (const line of out.split('\n')) {
    const m = /^(?:.*\/)?([^/(]+\.ts)\(\d+,\d+\): error (TS\d+): (.*)$/.exec(line);
    if (m) {
      last = byFile.get(m[1]) ?? byFile.set(m[1], []).get(m[1])!;
      last.push(`${m[2]} ${m[3]}`);
    } else if (/^\s+\S/.test(line) && last) last[last.length - 1] += ` ${line.trim()}`;
    else if (/error TS\d+/.test(line)) unplaced.push(line); // e.g. a broken tsconfig
  }
  return { byFile, unplaced };
}

describe('type errors name the field', () => {
  const missing = writeCases();
  const { byFile, unplaced } = compile();
  it('applied every edit to the template, and tsc reported nothing outside the cases', () => {
    expect(missing).toEqual([]);
    expect([...byFile.keys()].filter((f) => !CASES.some((c) => `${c.name}.ts` === f))).toEqual([]);
    expect(unplaced).toEqual([]);
  });
  for (const c of CASES) {
    it(`${c.name}: ${c.expect}`, () => {
      const got = byFile.get(`${c.name}.ts`)!;
      if (c.expect === 'none') return expect(got).toEqual([]);
      const [code, ...words] = c.expect.split(' ');
      expect(got, `exactly one error, got:\n${got.join('\n')}`).toHaveLength(1);
      expect(got[0].startsWith(`${code} `), got[0]).toBe(true);
      expect(got[0]).toContain(words.join(' '));
    });
  }
});
