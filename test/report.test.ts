/**
 * Reports built from the committed results: pages embed their SVG figures by relative links, paper
 * audit pages gather claims, the HTML site resolves every link and asset offline. Then the browser
 * test: Debian's Chromium, headless, opens the site from the file system with every network
 * request refused, and checks that the math was typeset (KaTeX elements, KaTeX's own fonts loaded,
 * no `$` left in the text), that every plot loaded, and that the index filters work; screenshots
 * are saved (the path is printed). Without Chromium the browser test is skipped, and says so on
 * stderr and in its name. (One file, so the site is built once for both.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
/// <reference lib="dom" />
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { figureId, figuresFor, FIGURE_SOURCES, type FigureSource } from '../src/report/figures.ts';
import { HtmlError, renderSite, writeSite } from '../src/report/html.ts';
import { groupByTheorem, paperByTheorem } from '../src/report/markdown.ts';
import { writeReports } from '../src/report/write.ts';
import { readResults } from '../src/record/result.ts';
import { chromiumMissing, withBrowser } from './helpers/browser.ts';
import { MARK_EMOJI } from '../src/report/marks.ts';

const ROOT = join(import.meta.dirname, '..');
// Two theorems' results, owned by the tests (a copy of a full check, not the user's reports/, which
// any `provably check` rewrites): the tests below know their pages, papers and figures.
const RESULTS = join(ROOT, 'test', 'fixtures', 'results');
const FIXTURE = [join(RESULTS, 'classic', 'gd-quadratic-linear-rate'), join(RESULTS, 'overparam', 'du-two-layer-gd-rate')];
const SHOTS = process.env.PROVABLY_SCREENSHOTS ?? join(ROOT, 'test', '.tmp-screenshots');
const missing = chromiumMissing();
if (missing) process.stderr.write(`\n⚠️  browser test SKIPPED: ${missing}\n\n`);
const tmp = mkdtempSync(join(tmpdir(), 'provably-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

const out = join(tmp, 'a');
beforeAll(async () => {
  await writeReports(FIXTURE, out, { html: true, history: null });
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

  it('removes a figure no longer produced; reuses a plot whose input did not change, re-renders one whose input did', async () => {
    const dir = join(tmp, 'stale');
    const figures = join(dir, 'classic/gd-quadratic-linear-rate');
    const one = [join(RESULTS, 'classic', 'gd-quadratic-linear-rate', 'broken~step-size.json')];
    mkdirSync(figures, { recursive: true });
    writeFileSync(join(figures, 'old-plot.svg'), '<svg/>');
    await writeReports(one, dir, { history: null });
    expect(existsSync(join(figures, 'old-plot.svg'))).toBe(false);
    const [a, b] = readdirSync(figures).sort();
    const fresh = readFileSync(join(figures, b), 'utf8');
    expect(fresh).toMatch(/<\/svg>\n<!-- provably plot [0-9a-f]{64} -->\n$/);
    // Marked bodies show which files were rendered again: the one whose key still matches is kept as is.
    writeFileSync(join(figures, a), readFileSync(join(figures, a), 'utf8').replace('<svg ', '<svg data-kept="yes" '));
    writeFileSync(join(figures, b), fresh.replace('<svg ', '<svg data-kept="yes" ').replace(/plot [0-9a-f]{64}/, `plot ${'0'.repeat(64)}`));
    await writeReports(one, dir, { history: null });
    expect(readFileSync(join(figures, a), 'utf8')).toContain('data-kept="yes"');
    expect(readFileSync(join(figures, b), 'utf8')).toBe(fresh);
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
  });
});

describe('paper pages', () => {
  it('two papers with the same author, year and opening words get two pages', () => {
    const [a] = readResults([FIXTURE[0]]);
    const twin = (id: string, arxiv: string) => ({ ...a, theorem: { ...a.theorem, id, provenance: { ...a.theorem.provenance, arxiv } } });
    const papers = paperByTheorem(groupByTheorem([twin('classic/a', '1111.0001'), twin('classic/b', '1111.0002')]));
    expect([...papers.values()].map((p) => p.page)).toEqual(['papers/karimi-2016-linear-convergence-of-gradient.md', 'papers/karimi-2016-linear-convergence-of-gradient-2.md']);
  });
});

describe('figure sources', () => {
  const byTheorem = groupByTheorem(readResults(FIXTURE));
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
    expect(index).toContain('id="papers"');
  });

  it('draws the verdict marks as inline SVG named for screen readers, never as emoji, and leaves attributes alone', () => {
    const pages = renderSite({ pages: new Map([['classic/x.md', '# X\n\n| regime | result |\n| --- | --- |\n| a | ✅ |\n| b | ❌ |\n| c | 🔎 |\n\n⚠️ **changed**\n\n![a plot ✅](p.svg)\n']]), assets: new Map(), indexMeta: [] });
    const html = pages.get('classic/x.html')!;
    for (const label of ['as expected', 'not as expected', 'reports only', 'warning']) expect(html).toContain(`aria-label="${label}"`);
    expect(html.match(/<svg class="mark /g)?.length).toBe(4);
    expect(html).toContain('role="img" aria-label="not as expected"');
    expect(html).toContain('alt="a plot ✅"');
    expect(html.replace(/alt="[^"]*"/g, '')).not.toMatch(/[✅❌🔎⚠]/u);
    expect(pages.get('assets/provably.css')).toContain('.mark {');
    // The real index: every mark of the committed results' pages is drawn.
    const index = readFileSync(join(site, 'index.html'), 'utf8');
    expect(index).toContain('aria-label="as expected"');
    expect(index.replace(/alt="[^"]*"/g, '')).not.toMatch(/[✅❌🔎]/u);
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

interface PageReport {
  katex: number;
  katexErrors: number;
  rawDollars: string[];
  images: { src: string; ok: boolean }[];
  katexFontsLoaded: number;
  /** The inline SVG verdict marks: how many, how many are drawn at a visible size, and emoji left in the text. */
  marks: { count: number; drawn: number; names: string[]; emojiLeft: string[] };
}

/** What the page shows, read from the DOM. */
function inspect(page: Page): Promise<PageReport> {
  return page.evaluate(async (emoji: string[]) => {
    await document.fonts.ready;
    const rawDollars: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement?.closest('.katex, code, pre, script, style') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent?.includes('$')) rawDollars.push(n.textContent.trim().slice(0, 80));
    return {
      katex: document.querySelectorAll('.katex').length,
      katexErrors: document.querySelectorAll('.katex-error').length,
      rawDollars,
      images: [...document.images].map((i) => ({ src: i.getAttribute('src') ?? '', ok: i.complete && i.naturalWidth > 0 })),
      katexFontsLoaded: [...document.fonts].filter((f) => f.family.includes('KaTeX') && f.status === 'loaded').length,
      marks: (() => {
        const marks = [...document.querySelectorAll('svg.mark')];
        const drawn = marks.filter((m) => {
          const b = m.getBoundingClientRect();
          return b.width >= 8 && b.height >= 8 && m.querySelector('circle, path') !== null;
        });
        return { count: marks.length, drawn: drawn.length, names: [...new Set(marks.map((m) => m.getAttribute('aria-label') ?? ''))].sort(), emojiLeft: emoji.filter((e) => document.body.innerText.includes(e)) };
      })(),
    };
  }, [...MARK_EMOJI]);
}

describe.skipIf(missing !== null)(missing ? `browser test SKIPPED: ${missing}` : 'the HTML reports in headless Chromium', () => {
  const site = join(out, 'html');
  beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

  const open = async (ctx: BrowserContext, file: string, blocked: string[]): Promise<Page> => {
    const page = await ctx.newPage();
    page.on('requestfailed', (r) => blocked.push(`${r.url()} (${r.failure()?.errorText})`));
    await page.goto(pathToFileURL(join(site, file)).href, { waitUntil: 'load' });
    return page;
  };

  it('renders the math, loads every plot, filters the index, and fetches nothing from the network', async () => {
    await withBrowser(async (ctx) => {
      const remote: string[] = [];
      await ctx.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        remote.push(url);
        return route.abort();
      });
      const failed: string[] = [];

      const index = await open(ctx, 'index.html', failed);
      const ir = await inspect(index);
      expect(ir.katexErrors).toBe(0);
      expect(ir.rawDollars).toEqual([]);
      // Verdict marks are inline SVG, drawn without an emoji font (Debian's Chromium has none).
      expect(ir.marks.count).toBeGreaterThanOrEqual(2);
      expect(ir.marks.drawn).toBe(ir.marks.count);
      expect(ir.marks.names).toEqual(expect.arrayContaining(['as expected', 'reports only']));
      expect(ir.marks.emojiLeft).toEqual([]);
      expect(await index.locator('#theorems tbody tr:visible').count()).toBe(2);
      await index.selectOption('select[data-filter="family"]', 'classic');
      expect(await index.locator('#theorems tbody tr:visible').count()).toBe(1);
      expect(await index.locator('#shown').textContent()).toBe('1 of 2 theorems');
      await index.selectOption('select[data-filter="family"]', '');
      await index.selectOption('select[data-filter="paper"]', 'Simon S. Du et al. (2019)');
      expect(await index.locator('#theorems tbody tr:visible a').first().textContent()).toBe('overparam/du-two-layer-gd-rate');
      await index.selectOption('select[data-filter="paper"]', '');
      await index.selectOption('select[data-filter="verdict"]', 'violated');
      expect(await index.locator('#theorems tbody tr:visible').count()).toBe(2);
      await index.selectOption('select[data-filter="verdict"]', '');
      await index.screenshot({ path: join(SHOTS, 'index.png') });

      for (const file of ['classic/gd-quadratic-linear-rate.html', 'overparam/du-two-layer-gd-rate.html', 'papers/du-2019-gradient-descent-provably-optimizes.html']) {
        const page = await open(ctx, file, failed);
        const r = await inspect(page);
        expect(r.katex, file).toBeGreaterThan(10);
        expect(r.katexErrors, file).toBe(0);
        expect(r.rawDollars, file).toEqual([]);
        expect(r.marks.drawn, file).toBe(r.marks.count);
        expect(r.marks.emojiLeft, file).toEqual([]);
        expect(r.katexFontsLoaded, `${file}: KaTeX fonts loaded from the site`).toBeGreaterThan(0);
        expect(r.images.length, file).toBeGreaterThanOrEqual(3);
        expect(r.images.filter((i) => !i.ok), `${file}: plots that did not load`).toEqual([]);
        if (file.startsWith('overparam/')) await page.screenshot({ path: join(SHOTS, 'theorem.png'), fullPage: true });
        await page.close();
      }
      expect(failed).toEqual([]);
      expect(remote).toEqual([]);
    });
    for (const f of ['index.png', 'theorem.png']) expect(statSync(join(SHOTS, f)).size).toBeGreaterThan(20_000);
    process.stdout.write(`browser test screenshots: ${join(SHOTS, 'index.png')}, ${join(SHOTS, 'theorem.png')}\n`);
  });
});
