// The layers import one way: theorem → check → report, with the result record (src/record) below
// check and report alike. This walks every import in src/ (static, re-exports and dynamic
// `import()`), and fails on a circle anywhere or on an import that runs back up a layer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function localImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec?.startsWith('.')) out.push(relative(SRC, resolve(dirname(file), spec)));
  }
  return out;
}

const graph = new Map(sourceFiles(SRC).map((f) => [relative(SRC, f), localImports(f)]));

/** Layer of a file: its top folder under src/ (a file at the top is the CLI level). */
const RANK: Record<string, number> = { numerics: 0, engine: 0, kernels: 0, types: 0, theorem: 1, models: 1, optim: 1, record: 2, check: 3, report: 4 };
const layer = (file: string): string => (file.includes('/') ? file.split('/')[0] : 'top');

describe('import layers', () => {
  it('reads the imports of every module in src/', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('report/write.ts')).toContain('report/html.ts'); // the walk sees dynamic imports
  });

  it('has no import circle anywhere in src/', () => {
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const dep of graph.get(file) ?? []) visit(dep, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(circles).toEqual([]);
  });

  it('never imports up a layer (theorem → record → check → report)', () => {
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      const from = RANK[layer(file)];
      if (from === undefined) continue;
      for (const dep of deps) {
        const to = RANK[layer(dep)];
        if (to !== undefined && to > from) upward.push(`${file} imports ${dep}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps the Markdown and HTML renderers apart', () => {
    expect(graph.get('report/markdown.ts')).not.toContain('report/html.ts');
    expect(graph.get('report/html.ts')).not.toContain('report/markdown.ts');
  });
});
