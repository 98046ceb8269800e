/// <reference lib="dom" />
/**
 * The HTML reports as a reader sees them: Debian's Chromium, headless, opens the site from the file
 * system with every network request refused, and checks that the math was typeset (KaTeX elements,
 * KaTeX's own fonts loaded, no `$` left in the text), that every plot loaded, and that the index
 * filters work. Screenshots are saved (the path is printed).
 *
 * Without Chromium the test is skipped, and says so on stderr and in its name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { writeReports } from '../src/report/markdown.ts';
import { chromiumMissing, withBrowser } from './helpers/browser.ts';

const ROOT = join(import.meta.dirname, '..');
const SHOTS = process.env.PROVABLY_SCREENSHOTS ?? join(ROOT, 'test', '.tmp-screenshots');
const missing = chromiumMissing();
if (missing) process.stderr.write(`\n⚠️  browser test SKIPPED: ${missing}\n\n`);

interface PageReport {
  katex: number;
  katexErrors: number;
  rawDollars: string[];
  images: { src: string; ok: boolean }[];
  katexFontsLoaded: number;
}

/** What the page shows, read from the DOM. */
function inspect(page: Page): Promise<PageReport> {
  return page.evaluate(async () => {
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
    };
  });
}

describe.skipIf(missing !== null)(missing ? `browser test SKIPPED: ${missing}` : 'the HTML reports in headless Chromium', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'provably-browser-'));
  const site = join(tmp, 'html');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  beforeAll(async () => {
    await writeReports([join(ROOT, 'reports', 'results')], tmp, { html: true, history: null });
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

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
