/** Errors that name the problem, early, and lose nothing (issue 15): bad paths, unwritable --out, incomplete result files. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliSandbox } from './helpers/cli.ts';

const { tmp, provably } = cliSandbox('provably-cli-errors-');

describe('provably report', () => {
  it('with a mistyped --results says so and leaves the existing index alone', async () => {
    mkdirSync(join(tmp, 'kept'), { recursive: true });
    writeFileSync(join(tmp, 'kept', 'README.md'), 'the index as it was\n');
    const r = await provably(['report', '--results', 'kept/resluts', '--out', 'kept']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--results kept\/resluts: no such file or directory/);
    expect(readFileSync(join(tmp, 'kept', 'README.md'), 'utf8')).toBe('the index as it was\n');
    mkdirSync(join(tmp, 'empty-results'));
    const none = await provably(['report', '--results', 'empty-results', '--out', 'kept']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no result files under empty-results/);
    expect(readFileSync(join(tmp, 'kept', 'README.md'), 'utf8')).toBe('the index as it was\n');
  });

  it('names a result file that holds only the schema line, and what it lacks', async () => {
    mkdirSync(join(tmp, 'schema-only'));
    writeFileSync(join(tmp, 'schema-only', 'x.json'), '{"schema": "provably.result/2"}\n');
    const r = await provably(['report', '--results', 'schema-only', '--out', 'schema-out']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/schema-only\/x\.json: not a complete result record: 'theorem', 'regime', 'settings', 'counts', 'expectation', 'instances', 'run' missing/);
    expect(r.stderr).not.toMatch(/TypeError|    at /);
  });
});

describe('an unwritable --out', () => {
  it.each([
    ['a file', () => writeFileSync(join(tmp, 'a-file'), ''), 'a-file', /--out .*a-file: not a folder provably can write to \(cannot mkdir .*EEXIST/],
    ['a name too long', () => {}, 'x'.repeat(300), /--out .*x{300}: not a folder provably can write to \(cannot mkdir .*ENAMETOOLONG/],
  ])('(%s) is exit 2 with one line, before any regime runs, for check and report', async (_what, make, out, message) => {
    make();
    const check = await provably(['check', 'classic/gd-quadratic-linear-rate', '--budget', 'ci', '--jobs', '1', '--out', out]);
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(message);
    expect(check.stderr).not.toMatch(/instances|    at /);
    // --out is checked before any result file is read.
    mkdirSync(join(tmp, 'some-results'), { recursive: true });
    writeFileSync(join(tmp, 'some-results', 'r.json'), '{}');
    const report = await provably(['report', '--results', 'some-results', '--out', out]);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(message);
    expect(report.stderr.trim().split('\n')).toHaveLength(1);
  });
});
