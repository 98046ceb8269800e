/// <reference lib="dom" />
/**
 * The README's screenshots: the HTML site built from the committed results (reports/results),
 * opened in headless Chromium, saved as docs/index.png and docs/theorem.png.
 *
 *   npx tsx scripts/screenshots.ts        (needs Debian's chromium; emoji need fonts-noto-color-emoji)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReports } from '../src/report/write.ts';
import { chromiumMissing, withBrowser } from '../test/helpers/browser.ts';

const ROOT = join(import.meta.dirname, '..');
const missing = chromiumMissing();
if (missing) {
  process.stderr.write(`screenshots: ${missing}\n`);
  process.exit(2);
}
const tmp = mkdtempSync(join(tmpdir(), 'provably-shots-'));
try {
  await writeReports([join(ROOT, 'reports', 'results')], tmp, { html: true });
  await withBrowser(
    async (ctx) => {
      const page = await ctx.newPage();
      await page.goto(pathToFileURL(join(tmp, 'html', 'index.html')).href);
      await page.screenshot({ path: join(ROOT, 'docs', 'index.png') });
      await page.goto(pathToFileURL(join(tmp, 'html', 'overparam', 'du-two-layer-gd-rate.html')).href);
      await page.evaluate(() => document.fonts.ready);
      // The statement with its math; then a plot: measured against bound where the bound breaks.
      await page.screenshot({ path: join(ROOT, 'docs', 'theorem.png'), clip: { x: 0, y: 0, width: 1100, height: 1150 } });
      await page.locator('img[src$="counterexample-linear-rate-proxy-narrow.svg"]').screenshot({ path: join(ROOT, 'docs', 'theorem-plots.png') });
    },
    { width: 1100, height: 900 },
  );
  process.stderr.write('screenshots: docs/index.png, docs/theorem.png, docs/theorem-plots.png\n');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
