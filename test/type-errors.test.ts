// Type-level tests: each file in test/type-errors/ states the one tsc error it must give
// (`// expect-tsc: TS2561 'statment' does not exist ...`, or `none`); tsc runs on them all at once,
// outside the main tsconfig (which excludes the folder, so `npm test`'s own tsc stays clean).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = 'test/type-errors';
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts')).sort();

const unplaced: string[] = [];

function compile(): Map<string, string[]> {
  let out = '';
  try {
    execFileSync(join('node_modules', '.bin', 'tsc'), ['-p', join(DIR, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  const byFile = new Map<string, string[]>(files.map((f) => [f, []]));
  // A diagnostic starts with its path; its elaboration follows on indented lines.
  let last: string[] | null = null;
  for (const line of out.split('\n')) {
    const m = /^(?:.*\/)?([^/(]+\.ts)\(\d+,\d+\): error (TS\d+): (.*)$/.exec(line);
    if (m) {
      last = byFile.get(m[1]) ?? byFile.set(m[1], []).get(m[1])!;
      last.push(`${m[2]} ${m[3]}`);
    } else if (/^\s+\S/.test(line) && last) last[last.length - 1] += ` ${line.trim()}`;
    else if (/error TS\d+/.test(line)) unplaced.push(line); // e.g. a broken tsconfig
  }
  return byFile;
}

describe('type errors name the field', () => {
  const errors = compile();
  it('found the fixtures and no error outside them', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect([...errors.keys()].filter((f) => !files.includes(f))).toEqual([]);
    expect(unplaced).toEqual([]);
  });
  for (const f of files) {
    const expected = /^\/\/ expect-tsc: (.*)$/m.exec(readFileSync(join(DIR, f), 'utf8'))?.[1];
    it(`${f}: ${expected ?? '(no expect-tsc line)'}`, () => {
      expect(expected, `${f} must say which error it expects`).toBeDefined();
      const got = errors.get(f)!;
      if (expected === 'none') return expect(got).toEqual([]);
      const [code, ...words] = expected!.split(' ');
      expect(got, `exactly one error, got:\n${got.join('\n')}`).toHaveLength(1);
      expect(got[0].startsWith(`${code} `), got[0]).toBe(true);
      expect(got[0]).toContain(words.join(' '));
    });
  }
});
