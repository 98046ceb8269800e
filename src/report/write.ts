/**
 * Writes the reports: the Markdown index, pages and paper pages (src/report/markdown.ts renders
 * them), their SVG figures, and the HTML site when asked (src/report/html.ts). The one module that
 * knows both renderers, so that they need not know each other.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readResults, writeAtomic } from '../record/result.ts';
import { compareWithHistory, readHistory } from './history.ts';
import { figurePath, groupByPaper, groupByTheorem, indexRowMeta, pagePath, paperByTheorem, placed, renderIndex, renderPage, renderPaperPage, type PlacedFigure } from './markdown.ts';
import { renderPlot, reusable } from './plots.ts';

export interface ReportOptions {
  /** Where the results store is (default `<outDir>/history`); null: no history section. */
  readonly history?: string | null;
  /** Also write the HTML site, into this folder (true: `<outDir>/html`). */
  readonly html?: string | boolean;
}

export interface WrittenReports {
  readonly index: string;
  readonly pages: string[];
  readonly papers: string[];
  readonly figures: string[];
  readonly results: number;
  /** The HTML site's index, when it was written. */
  readonly html: string | null;
}

/**
 * Read every result under `sources`; write the index, one page per theorem with its SVG figures
 * next to it, and one audit page per paper into `outDir` (and the HTML site if asked). Figures no
 * longer produced are removed from the figure folders, so a folder holds exactly its page's figures.
 */
export async function writeReports(sources: readonly string[], outDir: string, opts: ReportOptions = {}): Promise<WrittenReports> {
  const results = readResults(sources).filter((r) => r.settings.source === 'drawn');
  const byTheorem = groupByTheorem(results);
  const markdown = new Map<string, string>();
  const svgs = new Map<string, string>();
  const figuresByTheorem = new Map<string, PlacedFigure[]>();
  const papersOf = paperByTheorem(byTheorem);
  for (const [id, rs] of byTheorem) {
    const figures = placed(rs);
    figuresByTheorem.set(id, figures);
    for (const f of figures) {
      const path = join(outDir, figurePath(id, f));
      const old = reusable(existsSync(path) ? readFileSync(path, 'utf8') : null, f.plot);
      svgs.set(figurePath(id, f), old ?? (await renderPlot(f.plot)).svg);
    }
    markdown.set(pagePath(id), renderPage(rs, figures, papersOf.get(id)));
  }
  const papers: string[] = [];
  for (const { paper, theorems } of groupByPaper(byTheorem).values()) {
    markdown.set(paper.page, renderPaperPage(paper, theorems, figuresByTheorem));
    papers.push(join(outDir, paper.page));
  }
  const historyDir = opts.history === undefined ? join(outDir, 'history') : opts.history;
  const history = historyDir === null ? null : compareWithHistory(results, readHistory(historyDir));
  markdown.set('README.md', renderIndex(byTheorem, { history }));

  for (const [rel, svg] of svgs) writeAtomic(join(outDir, rel), svg);
  for (const id of byTheorem.keys()) removeStaleFigures(join(outDir, id), new Set([...svgs.keys()].filter((k) => k.startsWith(`${id}/`)).map((k) => join(outDir, k))));
  for (const [rel, text] of markdown) writeAtomic(join(outDir, rel), text);

  let html: string | null = null;
  if (opts.html) {
    const dir = opts.html === true ? join(outDir, 'html') : opts.html;
    const { writeSite } = await import('./html.ts'); // markdown-it and KaTeX load only when asked for
    writeSite(dir, { pages: markdown, assets: svgs, indexMeta: indexRowMeta(byTheorem) });
    html = join(dir, 'index.html');
  }
  return {
    index: join(outDir, 'README.md'),
    pages: [...byTheorem.keys()].map((id) => join(outDir, pagePath(id))),
    papers,
    figures: [...svgs.keys()].map((k) => join(outDir, k)),
    results: results.length,
    html,
  };
}

function removeStaleFigures(dir: string, keep: ReadonlySet<string>): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.endsWith('.svg') && !keep.has(path)) rmSync(path);
  }
}

