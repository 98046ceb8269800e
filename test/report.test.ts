/**
 * Reports built from the committed results: pages embed their SVG figures by relative links, paper
 * audit pages gather claims, the HTML site resolves every link and asset offline, and the same
 * results give the same bytes in another process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { figureId, figuresFor, FIGURE_SOURCES, type FigureSource } from '../src/report/figures.ts';
import { HtmlError, renderSite, writeSite } from '../src/report/html.ts';
import { groupByTheorem, paperByTheorem, writeReports } from '../src/report/markdown.ts';
import { readResults } from '../src/report/result.ts';

const ROOT = join(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'reports', 'results');
const tmp = mkdtempSync(join(tmpdir(), 'provably-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

const out = join(tmp, 'a');
beforeAll(async () => {
  await writeReports([RESULTS], out, { html: true });
}, 120_000);

describe('Markdown pages with SVG figures', () => {
  it('every theorem page embeds its figures by relative links that exist, and a figure folder holds exactly those', () => {
    for (const page of ['classic/gd-quadratic-linear-rate.md', 'overparam/du-two-layer-gd-rate.md']) {
      const md = readFileSync(join(out, page), 'utf8');
      const links = [...md.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1]);
      expect(links.length).toBeGreaterThanOrEqual(3);
      for (const l of links) {
        expect(l.startsWith('/') || l.includes('://')).toBe(false);
        expect(existsSync(join(out, dirname(page), l)), l).toBe(true);
      }
      const folder = join(out, page.replace(/\.md$/, ''));
      expect(readdirSync(folder).sort()).toEqual(links.map((l) => l.split('/').pop()).sort());
    }
    const classic = readFileSync(join(out, 'classic/gd-quadratic-linear-rate.md'), 'utf8');
    expect(classic).toContain('![linear rate: the tightness (measured / bound at the worst step) of every instance');
    expect(classic).toContain('(gd-quadratic-linear-rate/worst-linear-rate-theorem.svg)');
    expect(classic).toContain('(gd-quadratic-linear-rate/counterexample-linear-rate-broken-step-size.svg)');
  });

  it('removes a figure no longer produced', async () => {
    const dir = join(tmp, 'stale');
    await writeReports([join(RESULTS, 'classic')], dir, { history: null });
    writeFileSync(join(dir, 'classic/gd-quadratic-linear-rate/old-plot.svg'), '<svg/>');
    await writeReports([join(RESULTS, 'classic')], dir, { history: null });
    expect(existsSync(join(dir, 'classic/gd-quadratic-linear-rate/old-plot.svg'))).toBe(false);
  });

  it('one audit page per paper gathers its claims, with statements, verdicts, plots and replay commands', () => {
    const papers = readdirSync(join(out, 'papers')).sort();
    expect(papers).toEqual(['du-2019-gradient-descent-provably-optimizes.md', 'karimi-2016-linear-convergence-of-gradient.md']);
    const du = readFileSync(join(out, 'papers', papers[0]), 'utf8');
    expect(du).toContain('# Gradient Descent Provably Optimizes Over-parameterized Neural Networks');
    expect(du).toContain('## Theorem 4.1 and Corollary 4.1: ');
    expect(du).toContain('### Hypotheses: measured against required');
    expect(du).toContain('(../overparam/du-two-layer-gd-rate/worst-linear-rate-theorem.svg)');
    expect(du).toMatch(/npx provably replay overparam\/du-two-layer-gd-rate --regime broken:width/);
    const index = readFileSync(join(out, 'README.md'), 'utf8');
    expect(index).toContain('](papers/du-2019-gradient-descent-provably-optimizes.md)');
    expect(index).toContain('No run recorded in the results store');
  });

  it('another process writes the same bytes from the same results (SVG included)', () => {
    const other = join(tmp, 'b');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'provably.js'), 'report', '--results', RESULTS, '--out', other, '--html'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const a = files(out);
    expect(files(other)).toEqual(a);
    const differing = a.filter((f) => !readFileSync(join(out, f)).equals(readFileSync(join(other, f))));
    expect(differing).toEqual([]);
  });
});

describe('paper pages', () => {
  it('two papers with the same author, year and opening words get two pages', () => {
    const [a] = readResults([join(RESULTS, 'classic')]);
    const twin = (id: string, arxiv: string) => ({ ...a, theorem: { ...a.theorem, id, provenance: { ...a.theorem.provenance, arxiv } } });
    const papers = paperByTheorem(groupByTheorem([twin('classic/a', '1111.0001'), twin('classic/b', '1111.0002')]));
    expect([...papers.values()].map((p) => p.page)).toEqual(['papers/karimi-2016-linear-convergence-of-gradient.md', 'papers/karimi-2016-linear-convergence-of-gradient-2.md']);
  });
});

describe('figure sources', () => {
  const byTheorem = groupByTheorem(readResults([RESULTS]));
  it('derive figures from result fields, with unique ids; a new source is a function of the results', () => {
    const du = byTheorem.get('overparam/du-two-layer-gd-rate')!;
    const ids = figuresFor(du).map((f) => f.id);
    expect(ids).toContain('tightness-linear-rate');
    expect(ids).toContain('worst-weights-stay-near-init-proxy-narrow');
    expect(ids).toContain('counterexample-linear-rate-broken-width');
    expect(new Set(ids).size).toBe(ids.length);
    const extra: FigureSource = (rs) => [{ id: figureId('slack', rs[0].theorem.id), section: 'slack', alt: 'slack', plot: { kind: 'slackCurve', title: 'slack', x: { title: 'm' }, series: [], required: { value: 1, label: 'required' } } }];
    expect(figuresFor(du, [...FIGURE_SOURCES, extra]).at(-1)?.id).toBe('slack-overparam-du-two-layer-gd-rate');
    expect(() => figuresFor(du, [extra, extra])).toThrow(/two figures .* have the id 'slack-overparam-du-two-layer-gd-rate'/);
  });
});

describe('the HTML site', () => {
  const site = join(out, 'html');

  it('has every page, its figures, KaTeX’s CSS and fonts', () => {
    const all = files(site);
    for (const f of ['index.html', 'classic/gd-quadratic-linear-rate.html', 'overparam/du-two-layer-gd-rate.html', 'papers/du-2019-gradient-descent-provably-optimizes.html', 'assets/katex/katex.min.css', 'assets/provably.css', 'overparam/du-two-layer-gd-rate/tightness-linear-rate.svg'])
      expect(all, f).toContain(f);
    expect(all.filter((f) => f.startsWith('assets/katex/fonts/') && f.endsWith('.woff2')).length).toBeGreaterThan(15);
  });

  it('opens offline: every link, image, stylesheet and font it refers to is a file in the site (or an outside link a reader may follow)', () => {
    const missing: string[] = [];
    const remoteResources: string[] = [];
    for (const f of files(site).filter((f) => f.endsWith('.html') || f.endsWith('.css'))) {
      const text = readFileSync(join(site, f), 'utf8');
      const refs = f.endsWith('.css') ? [...text.matchAll(/url\(([^)]+)\)/g)].map((m) => ({ kind: 'url', ref: m[1].replace(/["']/g, '') })) : [...text.matchAll(/\s(href|src)="([^"]+)"/g)].map((m) => ({ kind: m[1], ref: m[2] }));
      for (const { kind, ref } of refs) {
        if (/^[a-z]+:/i.test(ref)) {
          if (kind !== 'href' || !/^https:\/\/arxiv\.org\//.test(ref)) remoteResources.push(`${f}: ${ref}`);
          continue;
        }
        if (ref.startsWith('#')) continue;
        const target = join(site, dirname(f), ref.split('#')[0]);
        if (!existsSync(target)) missing.push(`${f}: ${ref}`);
        if (ref.endsWith('.md')) missing.push(`${f}: ${ref} (a Markdown link left in HTML)`);
      }
    }
    expect(missing).toEqual([]);
    expect(remoteResources).toEqual([]);
  });

  it('typesets the math at build time, with no KaTeX error', () => {
    const page = readFileSync(join(site, 'classic/gd-quadratic-linear-rate.html'), 'utf8');
    expect((page.match(/class="katex"/g) ?? []).length).toBeGreaterThan(10);
    expect(page).toContain('<annotation encoding="application/x-tex">f(x_k)-f^\\star \\le');
    for (const f of files(site).filter((f) => f.endsWith('.html'))) expect(readFileSync(join(site, f), 'utf8'), f).not.toContain('katex-error');
  });

  it('the index has filters by family, paper and verdict, and rows that carry what they filter on', () => {
    const index = readFileSync(join(site, 'index.html'), 'utf8');
    expect(index).toContain('<select data-filter="family"><option value="">all families</option><option value="classic">classic</option><option value="overparam">overparam</option></select>');
    expect(index).toContain('<select data-filter="paper">');
    // Only verdicts that occur are offered: nothing here is refuted.
    expect(index).toContain('<select data-filter="verdict"><option value="">any verdict</option><option value="as-expected">every regime as expected</option><option value="holds">holds (some regime)</option><option value="violated">violated (some regime)</option></select>');
    expect(index).toMatch(/<tr data-family="overparam" data-paper="Simon S\. Du et al\. \(2019\)" data-verdict="as-expected holds violated">/);
    expect(index).toContain('<table id="theorems">');
    expect(index).toContain('id="changes-since-the-previous-run"');
  });

  it('refuses to replace a folder it did not write', () => {
    const dir = join(tmp, 'not-ours');
    mkdirSync(dir);
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    expect(() => writeSite(dir, { pages: new Map([['README.md', '# x\n\n<!-- provably:index-table -->\n\n| a |\n| --- |\n']]), assets: new Map(), indexMeta: [] })).toThrow(HtmlError);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('renders Markdown links between pages as links between HTML pages', () => {
    const site = renderSite({ pages: new Map([['classic/x.md', '# X\n\n[all](../README.md) · [y](y.md#tightness) · [out](https://arxiv.org/abs/1)\n']]), assets: new Map(), indexMeta: [] });
    const html = site.get('classic/x.html')!;
    expect(html).toContain('<a href="../index.html">all</a>');
    expect(html).toContain('<a href="y.html#tightness">y</a>');
    expect(html).toContain('<a href="https://arxiv.org/abs/1">out</a>');
  });
});
