/**
 * The HTML site (`provably report --html` → reports/html/): the same Markdown pages rendered with
 * markdown-it and KaTeX (math typeset at build time, so the browser only needs KaTeX's CSS and
 * fonts, which are copied into the site), the SVG figures copied next to their pages, and an index
 * whose table can be filtered by family, paper and verdict with a few lines of inline JavaScript.
 * It opens from the file system with no network: every link is relative and nothing is fetched.
 *
 * The site is built in a temporary folder and swapped in, so a reader never sees half of it.
 */
import katex from 'katex';
import MarkdownIt, { type Token } from 'markdown-it';
import texmath from 'markdown-it-texmath';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { INDEX_TABLE_MARK, type IndexRowMeta } from './index-meta.ts';
import { MARK_STYLE, svgMarks } from './marks.ts';

/** A file in the site's folder marks it as ours, so rebuilding may replace the folder. */
const SITE_MARK = '.provably-html';

export class HtmlError extends Error {
  override readonly name = 'HtmlError';
}

export function htmlPath(mdPath: string): string {
  if (mdPath === 'README.md') return 'index.html';
  return mdPath.replace(/\.md$/, '.html');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function isRelative(href: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('/') && !href.startsWith('#');
}

function markdownRenderer(): InstanceType<typeof MarkdownIt> {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
  md.use(texmath, { engine: katex, delimiters: 'dollars', katexOptions: { throwOnError: false, output: 'htmlAndMathml' } });
  // Heading anchors, as GitHub makes them, so `#changes-since-the-previous-run` works in both.
  md.core.ruler.push('provably_anchors', (state) => {
    const seen = new Map<string, number>();
    state.tokens.forEach((t, i) => {
      if (t.type !== 'heading_open') return;
      const text = state.tokens[i + 1]?.children?.map((c) => c.content).join('') ?? '';
      const base = slug(text);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      t.attrSet('id', n ? `${base}-${n}` : base);
    });
  });
  // Links between pages: `x.md` → `x.html`, `README.md` → `index.html`.
  const linkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const href = tokens[idx].attrGet('href');
    if (typeof href === 'string' && isRelative(href)) {
      const [path, hash] = href.split('#', 2);
      if (path.endsWith('.md')) {
        const base = posix.basename(path) === 'README.md' ? posix.join(posix.dirname(path), 'index.html') : path.replace(/\.md$/, '.html');
        tokens[idx].attrSet('href', base + (hash !== undefined ? `#${hash}` : ''));
      }
    }
    return linkOpen(tokens, idx, options, env, self);
  };
  return md;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function options(values: readonly string[], all: string): string {
  return [`<option value="">${all}</option>`, ...values.map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(v)}</option>`)].join('');
}

const VERDICT_LABELS: Record<string, string> = {
  'as-expected': 'every regime as expected',
  'not-as-expected': 'some regime not as expected',
  refuted: 'refuted',
  holds: 'holds (some regime)',
  violated: 'violated (some regime)',
  vacuous: 'vacuous (some regime)',
  inconclusive: 'inconclusive (some regime)',
};

function filterForm(meta: readonly IndexRowMeta[]): string {
  const families = [...new Set(meta.map((m) => m.family))].sort();
  const papers = [...new Set(meta.map((m) => m.paper))].sort();
  const verdicts = Object.keys(VERDICT_LABELS).filter((v) => meta.some((m) => m.verdicts.includes(v)));
  return [
    '<form id="filters" class="filters" aria-controls="theorems">',
    `<label>Family <select data-filter="family">${options(families, 'all families')}</select></label>`,
    `<label>Paper <select data-filter="paper">${options(papers, 'all papers')}</select></label>`,
    `<label>Verdict <select data-filter="verdict">${['<option value="">any verdict</option>', ...verdicts.map((v) => `<option value="${v}">${VERDICT_LABELS[v]}</option>`)].join('')}</select></label>`,
    `<output id="shown">${meta.length} of ${meta.length} theorems</output>`,
    '</form>',
    '',
  ].join('\n');
}

/** Inline, so the index works from file:// with nothing else loaded. */
const FILTER_SCRIPT = `<script>
(() => {
  const rows = [...document.querySelectorAll('#theorems tbody tr')];
  const selects = [...document.querySelectorAll('#filters select')];
  const shown = document.getElementById('shown');
  const matches = (tr, s) => !s.value || (s.dataset.filter === 'verdict' ? tr.dataset.verdict.split(' ').includes(s.value) : tr.dataset[s.dataset.filter] === s.value);
  const apply = () => {
    let n = 0;
    for (const tr of rows) { tr.hidden = !selects.every((s) => matches(tr, s)); if (!tr.hidden) n++; }
    shown.textContent = n + ' of ' + rows.length + ' theorems';
  };
  for (const s of selects) s.addEventListener('change', apply);
  apply();
})();
</script>`;

/** Give the marked table an id and each body row what the filters read. */
function attachFilters(tokens: Token[], meta: readonly IndexRowMeta[]): boolean {
  const mark = tokens.findIndex((t) => t.type === 'html_block' && t.content.includes(INDEX_TABLE_MARK));
  if (mark < 0) return false;
  tokens[mark].content = filterForm(meta);
  const open = tokens.findIndex((t, i) => i > mark && t.type === 'table_open');
  if (open < 0) return false;
  tokens[open].attrSet('id', 'theorems');
  let inBody = false;
  let row = 0;
  for (let i = open; i < tokens.length && tokens[i].type !== 'table_close'; i++) {
    const t = tokens[i];
    if (t.type === 'tbody_open') inBody = true;
    if (inBody && t.type === 'tr_open') {
      const m = meta[row++];
      if (!m) throw new HtmlError(`the index table has more rows than theorems (${meta.length})`);
      t.attrSet('data-family', m.family);
      t.attrSet('data-paper', m.paper);
      t.attrSet('data-verdict', m.verdicts.join(' '));
    }
  }
  if (row !== meta.length) throw new HtmlError(`the index table has ${row} rows for ${meta.length} theorems`);
  return true;
}

const STYLE = `:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); background: #fff; }
header.site { padding: 10px 24px; border-bottom: 1px solid var(--line); background: #f6f8fa; font-size: 14px; }
header.site a { color: var(--accent); text-decoration: none; margin-right: 14px; }
main { max-width: 1180px; margin: 0 auto; padding: 8px 24px 48px; }
h1 { font-size: 1.9em; border-bottom: 1px solid var(--line); padding-bottom: .3em; }
h2 { font-size: 1.45em; border-bottom: 1px solid var(--line); padding-bottom: .25em; margin-top: 1.6em; }
h3 { font-size: 1.2em; margin-top: 1.4em; }
a { color: var(--accent); }
table { border-collapse: collapse; margin: 12px 0; display: block; overflow-x: auto; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 5px 10px; vertical-align: top; text-align: left; }
th { background: #f6f8fa; }
tr:nth-child(2n) td { background: #fbfcfd; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff1f3; padding: .1em .35em; border-radius: 4px; }
pre { background: #f6f8fa; padding: 12px 14px; overflow-x: auto; border-radius: 6px; }
pre code { background: none; padding: 0; }
img { max-width: 100%; height: auto; display: block; margin: 14px 0; border: 1px solid var(--line); border-radius: 4px; }
details { margin: 10px 0; }
summary { cursor: pointer; }
.katex { font-size: 1.08em; }
.katex-display { overflow-x: auto; overflow-y: hidden; }
form.filters { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; margin: 14px 0 4px; padding: 10px 14px; background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; font-size: 14px; }
form.filters select { margin-left: 6px; font: inherit; padding: 2px 4px; }
form.filters output { color: var(--muted); margin-left: auto; }
tr[hidden] { display: none; }
`;

function page(title: string, body: string, depth: number, script = ''): string {
  const up = '../'.repeat(depth);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · provably</title>
<link rel="stylesheet" href="${up}assets/katex/katex.min.css">
<link rel="stylesheet" href="${up}assets/provably.css">
</head>
<body>
<header class="site"><a href="${up}index.html">provably: all theorems</a></header>
<main>
${body}</main>
${script}</body>
</html>
`;
}

function katexDist(): string {
  return dirname(createRequire(import.meta.url).resolve('katex'));
}

export interface HtmlInput {
  /** Markdown pages, by path relative to the reports folder (`README.md` is the index). */
  readonly pages: ReadonlyMap<string, string>;
  /** Files the pages link to (SVG figures), by the same relative path, with their content. */
  readonly assets: ReadonlyMap<string, string>;
  /** The index table's rows, in order, for the filters. */
  readonly indexMeta: readonly IndexRowMeta[];
}

/** The site's files by relative path: pure, so the same input gives the same bytes. */
export function renderSite(input: HtmlInput): Map<string, string> {
  const md = markdownRenderer();
  const out = new Map<string, string>();
  for (const [path, source] of input.pages) {
    const tokens = md.parse(source, {});
    const isIndex = path === 'README.md';
    if (isIndex && !attachFilters(tokens, input.indexMeta)) throw new HtmlError('the index has no marked theorem table');
    const body = svgMarks(md.renderer.render(tokens, md.options, {}));
    const title = /^#\s+(.+)$/m.exec(source)?.[1] ?? path;
    out.set(htmlPath(path), page(title, body, path.split('/').length - 1, isIndex ? FILTER_SCRIPT : ''));
  }
  for (const [path, content] of input.assets) out.set(path, content);
  out.set('assets/provably.css', STYLE + MARK_STYLE);
  return out;
}

/** Write the site into `dir` (replacing an earlier site there), with KaTeX's CSS and fonts. */
export function writeSite(dir: string, input: HtmlInput): string[] {
  if (existsSync(dir) && !existsSync(join(dir, SITE_MARK)))
    throw new HtmlError(`${dir} exists and was not written by provably; not replacing it`);
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const files = renderSite(input);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(tmp, path)), { recursive: true });
    writeFileSync(join(tmp, path), content);
  }
  const dist = katexDist();
  mkdirSync(join(tmp, 'assets', 'katex'), { recursive: true });
  writeFileSync(join(tmp, 'assets', 'katex', 'katex.min.css'), readFileSync(join(dist, 'katex.min.css')));
  cpSync(join(dist, 'fonts'), join(tmp, 'assets', 'katex', 'fonts'), { recursive: true });
  writeFileSync(join(tmp, SITE_MARK), 'Written by `provably report --html`; rebuilt as a whole each time.\n');
  const old = `${dir}.${process.pid}.old`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
  return [...files.keys()].map((p) => join(dir, p));
}
