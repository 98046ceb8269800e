/**
 * Writes the reports: the Markdown index, pages and paper pages (src/report/markdown.ts renders
 * them), their SVG figures, and the HTML site when asked (src/report/html.ts). The one module that
 * knows both renderers, so that they need not know each other.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readResults, writeAtomic, type Result } from '../record/result.ts';
import { compareWithHistory, readHistory } from './history.ts';
import { figurePath, groupByPaper, groupByTheorem, indexRowMeta, pagePath, paperByTheorem, placed, renderIndex, renderPage, renderPaperPage, type PlacedFigure } from './markdown.ts';
import { renderPlot, reusable } from './plots.ts';

export interface ReportOptions {
  /** Where the results store is (default `<outDir>/history`); null: no history section. */
  readonly history?: string | null;
  /** Also write the HTML site, into this folder (true: `<outDir>/html`). */
  readonly html?: string | boolean;
  /**
   * The theorems that exist now, each with its regimes. A result for any other theorem or regime
   * (a regime since removed from its file, a theorem file deleted) is left out of the reports and
   * listed in `stale`; pages no result refers to any more are removed.
   */
  readonly current?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Markdown appended to the index's papers section (the theorem folder's papers-note.md): papers with no claim, and why. */
  readonly papersNote?: string;
}

/** A result left out because its theorem or regime no longer exists. */
export interface StaleResult {
  readonly theorem: string;
  readonly regime: string;
  readonly why: string;
}

export function staleReason(r: Pick<Result, 'theorem' | 'regime'>, current: ReadonlyMap<string, ReadonlySet<string>>): string | null {
  const regimes = current.get(r.theorem.id);
  if (!regimes) return `no theorem ${r.theorem.id} exists any more`;
  if (!regimes.has(r.regime.name)) return `${r.theorem.id} has no regime ${r.regime.name} any more (it has ${[...regimes].join(', ')})`;
  return null;
}

export interface WrittenReports {
  readonly index: string;
  readonly pages: string[];
  readonly papers: string[];
  readonly figures: string[];
  readonly results: number;
  /** The HTML site's index, when it was written. */
  readonly html: string | null;
  /** Results left out: their theorem or regime no longer exists (only with `current`). */
  readonly stale: readonly StaleResult[];
  /** Pages of earlier reports that no result refers to any more, removed. */
  readonly removed: readonly string[];
}

/**
 * Read every result under `sources`; write the index, one page per theorem with its SVG figures
 * next to it, and one audit page per paper into `outDir` (and the HTML site if asked). Figures no
 * longer produced are removed from the figure folders, so a folder holds exactly its page's figures.
 */
export async function writeReports(sources: readonly string[], outDir: string, opts: ReportOptions = {}): Promise<WrittenReports> {
  const stale: StaleResult[] = [];
  const results = readResults(sources).filter((r) => {
    if (r.settings.source !== 'drawn') return false;
    const why = opts.current ? staleReason(r, opts.current) : null;
    if (why) stale.push({ theorem: r.theorem.id, regime: r.regime.name, why });
    return why === null;
  });
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
  markdown.set('README.md', renderIndex(byTheorem, { history, ...(opts.papersNote ? { papersNote: opts.papersNote } : {}) }));

  for (const [rel, svg] of svgs) writeAtomic(join(outDir, rel), svg);
  for (const id of byTheorem.keys()) removeStaleFigures(join(outDir, id), new Set([...svgs.keys()].filter((k) => k.startsWith(`${id}/`)).map((k) => join(outDir, k))));
  for (const [rel, text] of markdown) writeAtomic(join(outDir, rel), text);
  const removed = removeStalePages(outDir, new Set(markdown.keys()));

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
    stale,
    removed,
  };
}

/** Folders of `outDir` that hold no theorem pages. */
const NOT_FAMILIES = new Set(['results', 'history', 'html', 'papers']);

/**
 * Remove the pages of earlier reports that were not written this time: paper audit pages, and
 * theorem pages with their figures. Only files these reports write are touched: a paper page says
 * "Audit page:", a theorem page names its own id on its second line.
 */
function removeStalePages(outDir: string, written: ReadonlySet<string>): string[] {
  const removed: string[] = [];
  const drop = (rel: string, isOurs: (text: string) => boolean) => {
    const path = join(outDir, rel);
    if (written.has(rel) || !isOurs(readFileSync(path, 'utf8'))) return;
    rmSync(path);
    removed.push(path);
  };
  const papers = join(outDir, 'papers');
  if (existsSync(papers)) for (const f of readdirSync(papers).filter((f) => f.endsWith('.md'))) drop(`papers/${f}`, (t) => /\nAudit page: /.test(t));
  if (!existsSync(outDir)) return removed;
  for (const family of readdirSync(outDir, { withFileTypes: true }).filter((e) => e.isDirectory() && !NOT_FAMILIES.has(e.name)).map((e) => e.name)) {
    for (const f of readdirSync(join(outDir, family)).filter((f) => f.endsWith('.md'))) {
      const id = `${family}/${f.slice(0, -3)}`;
      const before = removed.length;
      drop(`${id}.md`, (t) => t.split('\n')[2]?.startsWith(`\`${id}\` · `) === true);
      if (removed.length > before) {
        const figures = join(outDir, id);
        if (existsSync(figures)) {
          for (const svg of readdirSync(figures).filter((n) => n.endsWith('.svg'))) rmSync(join(figures, svg));
          if (readdirSync(figures).length === 0) rmdirSync(figures);
        }
      }
    }
    if (readdirSync(join(outDir, family)).length === 0) rmdirSync(join(outDir, family));
  }
  return removed;
}

function removeStaleFigures(dir: string, keep: ReadonlySet<string>): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.endsWith('.svg') && !keep.has(path)) rmSync(path);
  }
}

