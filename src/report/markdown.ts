/**
 * Markdown reports, built from result records only: an index (reports/README.md) with one row per
 * theorem, one page per theorem, and one audit page per paper gathering all its claims. Math is
 * `$…$` (GitHub renders it). Plots are SVG files next to the pages (src/report/figures.ts says
 * which, src/report/plots.ts draws them). Nothing from a result's `run` block (times, host) goes
 * into a page, so the same results give the same bytes; the index's history section alone also
 * reads the results store (src/report/history.ts), and prints the previous runs' times there only.
 */
import { posix } from 'node:path';
import { fmt, fmtRatio, summaryText, violationMargin } from '../check/format.ts';
import { INDEX_TABLE_MARK, type IndexRowMeta } from './index-meta.ts';
import { figureId, figuresFor, type Figure } from './figures.ts';
import { regressions, runLabel, type HistoryComparison } from './history.ts';
import type { CounterexampleRecord, Result, StoredConclusion, StoredInstance } from '../record/result.ts';
import { renderSearchSection, searchSkipped, targetedSuffix } from './search-section.ts';
import { isSoft, renderSoftClaims } from './soft-claims.ts';
import { trendClaimLine, trendSection } from './trend-markdown.ts';
import { comparisonClaimLine, comparisonSection } from './comparison-markdown.ts';
import { renderSlackSection, slackSummary } from './slack-section.ts';

const VERDICT_MARK: Record<string, string> = { holds: 'holds', violated: '**violated**', vacuous: 'vacuous', inconclusive: 'inconclusive' };

/** Escape a table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

export function pagePath(id: string): string {
  return `${id}.md`;
}

/** Where a theorem's figure lives, relative to the reports directory: next to its page. */
export function figurePath(theoremId: string, figure: Pick<Figure, 'id'>): string {
  return `${theoremId}/${figure.id}.svg`;
}

/** A link from the page at `fromPage` to `target` (both relative to the reports directory). */
function linkFrom(fromPage: string, target: string): string {
  return posix.relative(posix.dirname(fromPage), target) || posix.basename(target);
}

/** The image lines of the figures in `section`, linked relative to the page that shows them. */
export function figureLinks(figures: readonly (Figure & { theorem: string })[], section: string, fromPage: string): string[] {
  return figures.filter((f) => f.section === section).flatMap((f) => [`![${f.alt.replace(/[[\]]/g, '')}](${linkFrom(fromPage, figurePath(f.theorem, f))})`, '']);
}

/** Who wrote it and when, the key a paper is known by, and the file of its audit page. */
export interface PaperRef {
  readonly key: string;
  readonly citation: string;
  readonly title: string;
  readonly year: number;
  readonly arxiv?: string;
  readonly venue?: string;
  readonly authors: readonly string[];
  readonly page: string;
}

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[ł]/g, 'l');
}

export function paperOf(r: Result): PaperRef {
  const p = r.theorem.provenance;
  const surname = ascii(p.authors[0]?.split(/\s+/).pop() ?? 'anonymous');
  const words = ascii(p.title).toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ').slice(0, 4).join('-');
  const slug = `${surname.toLowerCase().replace(/[^a-z0-9]+/g, '')}-${p.year}-${words}`;
  return {
    key: p.arxiv ? `arxiv:${p.arxiv}` : `${p.title}\u0000${p.year}`,
    citation: citation(r),
    title: p.title,
    year: p.year,
    ...(p.arxiv ? { arxiv: p.arxiv } : {}),
    ...(p.venue ? { venue: p.venue } : {}),
    authors: p.authors,
    page: `papers/${slug}.md`,
  };
}

/** Each theorem's paper, with the audit page it links to. */
export function paperByTheorem(byTheorem: ReadonlyMap<string, Result[]>): Map<string, PaperRef> {
  const out = new Map<string, PaperRef>();
  for (const { paper, theorems } of groupByPaper(byTheorem).values()) for (const rs of theorems) out.set(rs[0].theorem.id, paper);
  return out;
}

/** Theorems grouped by paper, papers in order of their first theorem id. */
export function groupByPaper(byTheorem: ReadonlyMap<string, Result[]>): Map<string, { paper: PaperRef; theorems: Result[][] }> {
  const out = new Map<string, { paper: PaperRef; theorems: Result[][] }>();
  const pages = new Set<string>();
  for (const rs of byTheorem.values()) {
    let paper = paperOf(rs[0]);
    if (!out.has(paper.key) && pages.has(paper.page)) {
      // Two papers with the same author, year and opening words: the later one gets a number.
      let n = 2;
      while (pages.has(paper.page.replace(/\.md$/, `-${n}.md`))) n++;
      paper = { ...paper, page: paper.page.replace(/\.md$/, `-${n}.md`) };
    }
    pages.add(paper.page);
    const entry = out.get(paper.key) ?? { paper, theorems: [] };
    entry.theorems.push(rs);
    out.set(paper.key, entry);
  }
  return out;
}

export function replayCommand(r: CounterexampleRecord['replay']): string {
  return `npx provably replay ${r.theorem} --regime ${r.regime} --seed ${r.seed} --path ${r.path} --engine ${r.engine}${r.engine === 'tfjs' ? ` --backend ${r.backend}` : ''} --budget ${r.budget}`;
}

/** ✅ behaved as expected, ❌ did not, 🔎 a regime that only reports (expects nothing). */
function expectationMark(r: Result): string {
  if (r.regime.expect === 'observe') return '🔎';
  return r.expectation.met ? '✅' : '❌';
}

/** Rows from a trial run (`--budget ci`) sit beside full-budget ones: say so on each. */
function budgetMark(r: Result): string {
  return r.settings.budget === 'full' ? '' : ` (**${r.settings.budget} budget**)`;
}

function regimeVerdict(r: Result): string {
  const c = r.counts;
  if (c.refutations > 0) return `REFUTED (${c.refutations}/${c.instances})`;
  if (c.violated > 0) return `violated ${c.violated}/${c.instances}`;
  if (c.holds > 0) return `holds ${c.holds}/${c.instances}`;
  if (c.vacuous > 0) return `vacuous ${c.vacuous}/${c.instances}`;
  return `inconclusive ${c.inconclusive}/${c.instances}`;
}

/** The words a reader filters the index by: every regime's verdict, and whether all behaved as expected. */
function verdictTags(rs: readonly Result[]): string[] {
  const tags = new Set<string>();
  for (const r of rs) {
    const c = r.counts;
    if (c.refutations > 0) tags.add('refuted');
    if (c.violated > 0) tags.add('violated');
    else if (c.holds > 0) tags.add('holds');
    else if (c.vacuous > 0) tags.add('vacuous');
    else tags.add('inconclusive');
  }
  tags.add(rs.every((r) => r.expectation.met) ? 'as-expected' : 'not-as-expected');
  return [...tags].sort();
}

export function indexRowMeta(byTheorem: ReadonlyMap<string, Result[]>): IndexRowMeta[] {
  return [...byTheorem.values()].map((rs) => ({ family: rs[0].theorem.family, paper: paperOf(rs[0]).citation, verdicts: verdictTags(rs) }));
}

/** The outcome of conclusion `name` on the instance at `path` (its float64 confirmation if it has one). */
function outcomeAt(r: Result, path: string | null, name: string) {
  const i = path === null ? undefined : r.instances.find((x) => x.path === path);
  return (i?.confirmation?.conclusions ?? i?.conclusions)?.find((c) => c.name === name);
}

/**
 * A worst tightness with what a reader needs to read it: whether a ratio above 1 is still within
 * the tolerance (and so holds), and whether the bound at that step lies below the float floor.
 */
export function tightnessText(r: Result, w: { readonly conclusion: string; readonly tightness: number | null; readonly path: string | null }, short = false): string {
  if (w.tightness === null) return '—';
  const o = outcomeAt(r, w.path, w.conclusion);
  const notes: string[] = [];
  if (w.tightness > 1 && o && o.verdict !== 'violated')
    notes.push(short ? 'within tolerance' : `above 1 but within the tolerance ε_rel·|bound| + floor (ε_rel = ${fmt(r.settings.engine.relTol)}): holds`);
  if (o?.worstBelowFloor) notes.push(short ? 'bound below the floor' : 'the bound at that step lies below the float noise floor');
  return `${fmtRatio(w.tightness)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

function worstTightness(r: Result): string {
  return r.worst.map((w) => `${w.conclusion}${isSoft(r, w.conclusion) ? ' (soft)' : ''}: ${tightnessText(r, w, true)}${targetedSuffix(r, w.conclusion)}`).join('; ');
}

function citation(r: Result): string {
  const p = r.theorem.provenance;
  const authors = p.authors.length > 2 ? `${p.authors[0]} et al.` : p.authors.join(' & ');
  return `${authors} (${p.year})`;
}

function arxivLink(id?: string): string {
  return id ? `[arXiv:${id}](https://arxiv.org/abs/${id})` : '';
}

function sortRegimes(rs: Result[]): Result[] {
  const rank = (n: string) => (n === 'theorem' ? 0 : n.startsWith('proxy') ? 1 : n.startsWith('broken') ? 2 : 3);
  return [...rs].sort((a, b) => rank(a.regime.name) - rank(b.regime.name) || (a.regime.name < b.regime.name ? -1 : 1));
}

export interface IndexOptions {
  /** The comparison with the results store; null or absent: no history section. */
  readonly history?: HistoryComparison | null;
  /** Markdown appended to the papers section: e.g. a seed paper that has no claim, and why. */
  readonly papersNote?: string;
}

export function renderIndex(byTheorem: ReadonlyMap<string, Result[]>, opts: IndexOptions = {}): string {
  const papers = paperByTheorem(byTheorem);
  const rows = [...byTheorem.entries()].map(([id, rs]) => {
    const t = rs[0].theorem;
    const regimes = sortRegimes(rs)
      .map((r) => `${expectationMark(r)} \`${r.regime.name}\` ${regimeVerdict(r)}${budgetMark(r)}`)
      .join('<br>');
    const tight = sortRegimes(rs)
      .filter((r) => r.regime.expect === 'holds' || r.regime.name === 'theorem' || r.regime.name.startsWith('proxy'))
      .map((r) => `\`${r.regime.name}\` ${worstTightness(r)}`)
      .join('<br>');
    // A broken regime's minimal counterexample shows a hypothesis is needed; any other regime's,
    // with every hypothesis met, is a refutation of the claim (a known-false claim kept in the suite).
    const necessity = sortRegimes(rs)
      .filter((r) => r.regime.name.startsWith('broken:') || (r.counterexample && r.counts.refutations > 0))
      .map((r) => `\`${r.regime.name}\`${r.regime.name.startsWith('broken:') ? '' : ' refuted by'}: ${r.counterexample ? summaryText(r.counterexample.summary) : `none found in ${r.counts.instances}`}`)
      .join('<br>');
    const paper = papers.get(id)!;
    return [`[${id}](${pagePath(id)})`, `[${paper.citation}](${paper.page}), ${t.provenance.locator}`, t.kind, regimes, tight || '—', slackSummary(rs) || '—', necessity || '—', t.provenance.fidelity];
  });
  const all = [...byTheorem.values()].flat();
  const failed = all.filter((r) => !r.expectation.met);
  const refuted = all.filter((r) => r.counts.refutations > 0);
  const trial = all.filter((r) => r.settings.budget !== 'full');
  const history = opts.history ?? null;
  const flagged = history ? regressions(history) : [];
  return [
    '# provably: checked theorems',
    '',
    'Each theorem is checked per regime: `theorem` (hypotheses meant to hold), `proxy` (hypotheses not met on purpose, the empirical question) and `broken:<hypothesis>` (a hypothesis dropped: the suite must find a counterexample). ✅ means the regime behaved as it expects; ❌ means it did not; 🔎 marks a regime that only reports what it measured.',
    '',
    `${byTheorem.size} theorem${byTheorem.size === 1 ? '' : 's'}, ${all.length} regime${all.length === 1 ? '' : 's'}: ${all.length - failed.length} as expected, ${failed.length} not${refuted.length ? `, **${refuted.length} refuted**` : ''}.${trial.length ? ` ${trial.length} regime${trial.length === 1 ? ' was' : 's were'} checked at a budget other than the full one (marked; \`provably check --out <dir>\` keeps trial runs out of these reports).` : ''}`,
    '',
    ...(flagged.length
      ? [`⚠️ **Since the previous run, ${flagged.length} regime${flagged.length === 1 ? '' : 's'} stopped behaving as before: ${flagged.map((c) => `\`${c.theorem}\` · \`${c.regime}\`${c.noLongerHold.length ? ` (${c.noLongerHold.join(', ')} used to hold, now does not)` : ' (no longer as expected)'}`).join('; ')}.** See [the changes](#changes-since-the-previous-run).`, '']
      : []),
    INDEX_TABLE_MARK,
    '',
    table(['theorem', 'source', 'kind', 'verdict per regime', 'worst tightness (measured / bound)', 'hypothesis slack (required ÷ empirical)', 'minimal counterexample (necessity of a hypothesis, or refutation)', 'fidelity'], rows),
    '',
    'Tightness is the worst measured/bound ratio over all instances and steps (1 = the bound is attained). Fidelity `read` means the statement was checked against the paper; `recalled` and `derived` mean it was not (see each page).',
    '',
    ...papersSection(byTheorem, opts.papersNote),
    ...(history ? historySection(history) : []),
  ].join('\n');
}

function papersSection(byTheorem: ReadonlyMap<string, Result[]>, note?: string): string[] {
  const papers = [...groupByPaper(byTheorem).values()];
  return [
    '## Papers',
    '',
    'One audit page per paper gathers all its claims: statements, hypotheses measured against required, verdicts, plots and counterexamples.',
    '',
    ...papers.map(({ paper, theorems }) => {
      const fidelity = [...new Set(theorems.map((rs) => rs[0].theorem.provenance.fidelity))].join(', ');
      return `- [${paper.citation}: *${paper.title}*](${paper.page})${paper.venue ? `, ${paper.venue}` : ''}: ${theorems.length} claim${theorems.length === 1 ? '' : 's'}, fidelity ${fidelity}`;
    }),
    '',
    ...(note?.trim() ? [note.trim(), ''] : []),
  ];
}

function historySection(h: HistoryComparison): string[] {
  const changed = h.changes.filter((c) => c.status !== 'unchanged');
  const unchanged = h.changes.length - changed.length;
  const lines = ['## Changes since the previous run', ''];
  if (h.runs === 0) return [...lines, 'No run recorded in the results store (`history/`) yet: every `provably check` adds one, and this section then shows what changed since the previous run.', ''];
  lines.push(
    `Compared with the results store (\`history/\`, ${h.runs} recorded run${h.runs === 1 ? '' : 's'}): for each regime, the run before the one that produced the results above. ${unchanged} regime${unchanged === 1 ? '' : 's'} unchanged${changed.length ? `, ${changed.length} changed, new or removed:` : '.'}`,
    '',
  );
  if (changed.length) {
    lines.push(
      table(
        ['theorem', 'regime', 'previous run', 'what changed'],
        changed.map((c) => {
          const flag = c.noLongerHold.length ? `⚠️ **${c.noLongerHold.join(', ')}: used to hold, now does not.** ` : c.expectationLost ? '⚠️ ' : '';
          return [`[${c.theorem}](${pagePath(c.theorem)})`, `\`${c.regime}\``, c.previous ? runLabel(c.previous) : '—', `${flag}${c.status === 'new' ? 'new: ' : c.status === 'removed' ? 'removed: ' : ''}${c.changes.join('; ')}`];
        }),
      ),
      '',
    );
  }
  return lines;
}

function hypothesisRows(rs: Result[]): string[][] {
  return rs.flatMap((r) =>
    r.hypotheses.map((h) => {
      const tex = r.theorem.hypotheses.find((x) => x.name === h.name)?.tex;
      const range = (x: { min: number; max: number }) => (x.min === x.max ? fmt(x.min) : `${fmt(x.min)} – ${fmt(x.max)}`);
      return [`\`${r.regime.name}\``, `${h.name}${tex ? ` ($${tex}$)` : ''}`, `${h.met}/${h.of}`, range(h.measured), `${h.relation} ${range(h.required)}`];
    }),
  );
}

/** Keys in the same order in every row, or null. */
function sharedKeys(rows: readonly (readonly string[])[]): readonly string[] | null {
  const first = rows[0] ?? [];
  return rows.every((k) => k.length === first.length && k.every((x, j) => x === first[j])) ? first : null;
}

const summaryValue = (v: unknown) => (typeof v === 'number' ? fmt(v) : String(v));

/**
 * A regime's instance table. What would repeat on every row is said once, in the header, when every
 * row shares it: the instance's summary fields, its conclusions and its first four constants each
 * get a column (a row whose fields differ keeps them in one cell, `k = v, …`), and the note column
 * is left out when no row has a note.
 */
function instanceTable(instances: readonly StoredInstance[]): string {
  const outcomesOf = (i: StoredInstance) => i.confirmation?.conclusions ?? i.conclusions;
  const summaryKeys = sharedKeys(instances.map((i) => Object.keys(i.summary)));
  const conclusionNames = sharedKeys(instances.map((i) => outcomesOf(i).map((c) => c.name)));
  const constantKeys = sharedKeys(instances.map((i) => Object.keys(i.constants).slice(0, 4)));
  const note = (i: StoredInstance) => i.error ?? (i.confirmation ? `float32 violation ${i.confirmation.verdict === 'violated' ? 'confirmed' : 'NOT confirmed'} in float64` : '');
  const withNotes = instances.some((i) => note(i) !== '');
  const verdictOf = (c: StoredConclusion) => `${c.verdict}${c.tightness !== null ? ` (${fmtRatio(c.tightness)})` : ''}`;
  const head = [
    'path',
    ...(summaryKeys ?? ['instance']),
    'hypotheses not met',
    'verdict',
    ...(conclusionNames ? conclusionNames.map((n) => `${n} (tightness)`) : ['conclusions (tightness)']),
    ...(constantKeys ? constantKeys.map((k) => `\`${k}\``) : ['constants']),
    ...(withNotes ? ['note'] : []),
  ];
  const rows = instances.map((i) => {
    const notMet = i.hypotheses.filter((h) => !h.holds).map((h) => h.name);
    const conclusions = outcomesOf(i);
    const constants = Object.entries(i.constants).slice(0, 4);
    return [
      i.path,
      ...(summaryKeys ? summaryKeys.map((k) => summaryValue((i.summary as Record<string, unknown>)[k])) : [summaryText(i.summary)]),
      notMet.length ? notMet.join(', ') : 'all met',
      VERDICT_MARK[i.verdict] ?? i.verdict,
      ...(conclusionNames ? conclusions.map(verdictOf) : [conclusions.map((c) => `${c.name}: ${verdictOf(c)}`).join('; ')]),
      ...(constantKeys ? constants.map(([, v]) => fmt(v)) : [constants.map(([k, v]) => `${k}=${fmt(v)}`).join(', ')]),
      ...(withNotes ? [note(i)] : []),
    ];
  });
  return table(head, rows);
}

function counterexampleSection(r: Result): string[] {
  const cx = r.counterexample;
  if (!cx) return [`**\`${r.regime.name}\`**: no violation found in ${r.counts.instances} instances${r.regime.expect === 'violated' ? ' (this regime expected one: ❌)' : ''}.`, ''];
  const notMet = cx.hypotheses.filter((h) => !h.holds);
  const lines = [
    `**\`${r.regime.name}\`**: minimal counterexample after ${cx.shrinks} shrink${cx.shrinks === 1 ? '' : 's'} (fast-check path \`${cx.path}\`): ${summaryText(cx.summary)}.`,
    '',
    notMet.length
      ? `Hypotheses not met: ${notMet.map((h) => `${h.name} (measured ${fmt(h.measured)}, required ${h.relation} ${fmt(h.required)})`).join('; ')}.`
      : '**Every hypothesis is met: this is a refutation of the theorem as encoded.**',
    '',
  ];
  for (const c of cx.confirmation?.conclusions ?? cx.conclusions) {
    const margin = c.firstViolation ? violationMargin(c.firstViolation) : '';
    lines.push(`- ${c.name}: ${VERDICT_MARK[c.verdict]}. ${c.reason}${margin ? `; at step ${c.firstViolation!.k} it ${margin}` : ''}.`);
  }
  if (cx.confirmation) lines.push(`- Found with float32 (${r.settings.engine.backend}) and confirmed by the float64 engine.`);
  if (cx.shrinksTo) lines.push(`- Expected to shrink to ${cx.shrinksTo.about}: ${cx.shrinksTo.met ? 'yes' : '**no**'}.`);
  lines.push('', 'Instance parameters:', '', '```json', JSON.stringify(cx.params), '```', '', 'Reproduce it:', '', '```sh', replayCommand(cx.replay), '```', '');
  return lines;
}

function curveTable(r: Result, conclusion: string): string[] {
  const curve = r.worstCurves.find((c) => c.conclusion === conclusion);
  if (!curve) return [];
  const picks = new Set<number>();
  const n = curve.k.length;
  for (let j = 0; j < 8; j++) picks.add(Math.round((j * (n - 1)) / 7));
  // Flow theorems trace outputs at times t_k = k·Δt and declare Δt as the constant `dt`.
  const dt = r.instances.find((i) => i.index === curve.index)?.constants.dt;
  const rows = [...picks].sort((a, b) => a - b).map((j) => [String(curve.k[j]), ...(dt ? [fmt(curve.k[j] * dt)] : []), fmt(curve.measured[j]), fmt(curve.bound[j]), fmtRatio(curve.bound[j] > 0 ? curve.measured[j] / curve.bound[j] : NaN)]);
  return [`Worst instance of \`${r.regime.name}\` (path \`${curve.index}\`), float noise floor ${fmt(curve.floor)}:`, '', table(['step k', ...(dt ? ['time t'] : []), 'measured', 'bound', 'ratio'], rows), ''];
}

/** A figure placed on a page: the theorem it belongs to is part of its file path. */
export type PlacedFigure = Figure & { readonly theorem: string };

export function placed(rs: Result[]): PlacedFigure[] {
  const theorem = rs[0].theorem.id;
  return figuresFor(sortRegimes(rs)).map((f) => ({ ...f, theorem }));
}

/** Sections a theorem page and an audit page share; `h` is the heading level of a section. */
function sourceLines(rs: Result[]): string[] {
  const p = rs[0].theorem.provenance;
  return [
    `**Source.** ${p.authors.join(', ')} (${p.year}). *${p.title}*${p.venue ? `. ${p.venue}` : ''}${p.arxiv ? `. ${arxivLink(p.arxiv)}` : ''}. ${p.locator}.`,
    '',
    `**Fidelity: ${p.fidelity}.** ${p.fidelity === 'read' ? 'The statement below was checked against the source text.' : 'The statement below was not checked word for word against the source text.'}${p.fidelityNote ? ` ${p.fidelityNote}` : ''}`,
    '',
  ];
}

function statementSection(rs: Result[], h: string): string[] {
  return [`${h} Statement`, '', rs[0].theorem.statement, ''];
}

function checkedSection(rs: Result[], h: string): string[] {
  const t = rs[0].theorem;
  const out = [`${h} What is checked`, ''];
  for (const c of t.conclusions) {
    out.push(`- **${c.name}**${c.about ? ` (${c.about})` : ''}${c.guarantee ? `, ${c.guarantee} bound` : ''}${c.soft ? ', soft claim (reported, not judged)' : ''}: $${c.tex}$`);
    if (c.kind === 'bound') out.push(`  - bound \`${c.bound}\`; float noise floor \`${c.floor}\`${c.trivial ? `; vacuous where the bound is no stronger than \`${c.trivial}\`` : ''}.`);
    if (c.kind === 'trend' && c.trend) out.push(trendClaimLine(c));
    if (c.kind === 'comparison' && c.comparison) out.push(comparisonClaimLine(c));
  }
  out.push('', 'Constants, computed in float64 on each instance:', '');
  out.push(table(['name', 'symbol', 'meaning'], Object.entries(t.constants).map(([k, v]) => [`\`${k}\``, `$${v.tex}$`, v.about ?? ''])));
  out.push('');
  return out;
}

function verdictSection(sorted: Result[], h: string): string[] {
  const out = [`${h} Verdicts per regime`, ''];
  out.push(
    table(
      ['regime', 'expects', 'instances', 'holds', 'violated', 'vacuous', 'inconclusive', 'engine', 'result'],
      sorted.map((r) => [
        `\`${r.regime.name}\``,
        r.regime.expect,
        String(r.counts.instances),
        String(r.counts.holds),
        String(r.counts.violated) + (r.counts.refutations ? ` (${r.counts.refutations} refutations)` : ''),
        String(r.counts.vacuous),
        String(r.counts.inconclusive) + (r.counts.unconfirmed ? ` (${r.counts.unconfirmed} float32 violations not confirmed in float64)` : ''),
        `${r.settings.engine.id}/${r.settings.engine.backend}`,
        `${expectationMark(r)} ${r.expectation.observed}`,
      ]),
    ),
  );
  out.push('');
  for (const r of sorted) {
    const skipped = searchSkipped(r);
    out.push(`- \`${r.regime.name}\`: ${sentence(r.regime.about)} Seed ${r.settings.seed}, budget \`${r.settings.budget}\`, ${r.settings.runs} instances.${r.regime.conclusions ? ` Checks only: ${r.regime.conclusions.join('; ')}.` : ''}${skipped ? ` **${sentence(skipped[0].toUpperCase() + skipped.slice(1))}**` : ''}`);
  }
  out.push('');
  return out;
}

function hypothesesSection(sorted: Result[], h: string): string[] {
  return [`${h} Hypotheses: measured against required`, '', table(['regime', 'hypothesis', 'met', 'measured', 'required'], hypothesisRows(sorted)), ''];
}

function tightnessSection(sorted: Result[], h: string, figures: readonly PlacedFigure[], fromPage: string): string[] {
  const t = sorted[0].theorem;
  const out = [`${h} Tightness`, '', `Worst measured/bound ratio over every instance and step (1 = attained; above 1 = violated, unless within the tolerance ε_rel·|bound| + floor, which the entry then says; a ratio near 1 prints as 1 − 3.4e-4 or 1 + 2.7e-12).`, ''];
  out.push(
    table(
      ['regime', ...t.conclusions.map((c) => c.name)],
      sorted.map((r) => [`\`${r.regime.name}\``, ...t.conclusions.map((c) => {
        const w = r.worst.find((x) => x.conclusion === c.name);
        return w?.tightness == null ? '—' : `${tightnessText(r, w)} (instance ${w.path}, step ${w.step ?? '—'})`;
      })]),
    ),
  );
  out.push('');
  const mine = figures.filter((f) => f.section === 'tightness');
  out.push(...figureLinks(mine.filter((f) => f.regime === undefined), 'tightness', fromPage));
  for (const c of t.conclusions.filter((c) => c.kind !== 'trend' && c.kind !== 'comparison'))
    for (const r of sorted) {
      const own = mine.filter((f) => f.regime === r.regime.name && f.conclusion === c.name);
      out.push(...figureLinks(own, 'tightness', fromPage));
      if (r.regime.expect === 'holds' || own.length) out.push(...curveTable(r, c.name).map((l, i) => (i === 0 ? `**${c.name}.** ${l}` : l)));
    }
  const known = new Set(t.conclusions.map((c) => c.name));
  out.push(...figureLinks(mine.filter((f) => f.regime !== undefined && !(f.conclusion && known.has(f.conclusion) && sorted.some((r) => r.regime.name === f.regime))), 'tightness', fromPage));
  return out;
}

function counterexamplesSection(sorted: Result[], h: string, figures: readonly PlacedFigure[], fromPage: string): string[] {
  const out = [`${h} Counterexamples`, ''];
  const mine = figures.filter((f) => f.section === 'counterexamples');
  const withCx = sorted.filter((r) => r.counterexample || r.regime.expect === 'violated');
  if (withCx.length === 0) out.push('No regime produced a violation.', '');
  for (const r of withCx) out.push(...counterexampleSection(r), ...figureLinks(mine.filter((f) => f.regime === r.regime.name), 'counterexamples', fromPage));
  out.push(...figureLinks(mine.filter((f) => !withCx.some((r) => r.regime.name === f.regime)), 'counterexamples', fromPage));
  return out;
}

function instancesSection(sorted: Result[], h: string): string[] {
  const out = [`${h} Instances`, ''];
  for (const r of sorted) {
    out.push(`<details><summary><code>${r.regime.name}</code>: ${r.instances.length} instances</summary>`, '');
    out.push(instanceTable(r.instances));
    out.push('', '</details>', '');
  }
  return out;
}

/** Figures no section of the page placed (a source added for a section this page does not have). */
function morePlots(figures: readonly PlacedFigure[], placedSections: readonly string[], h: string, fromPage: string): string[] {
  const rest = figures.filter((f) => !placedSections.includes(f.section));
  if (rest.length === 0) return [];
  return [`${h} More plots`, '', ...rest.flatMap((f) => figureLinks([f], f.section, fromPage))];
}

/** Text ending in a full stop: 'how often does it hold?' keeps its question mark. */
function sentence(text: string): string {
  return /[.?!]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}

/** The slack section, with each search's slack curve next to its text. */
function slackSection(sorted: Result[], h: string, figures: readonly PlacedFigure[], fromPage: string): string[] {
  const mine = figures.filter((f) => f.section === 'slack');
  return renderSlackSection(sorted, (r, sr) => figureLinks(mine.filter((f) => f.regime === r.regime.name && f.id === figureId('slack', r.regime.name, sr.hypothesis, sr.conclusion)), 'slack', fromPage), h);
}

/** The trend plots of one conclusion in one regime, for the trend section. */
function trendFigureLines(figures: readonly PlacedFigure[], fromPage: string): (regime: string, conclusion: string) => string[] {
  return (regime, conclusion) => figureLinks(figures.filter((f) => f.section === 'trends' && f.regime === regime && f.conclusion === conclusion), 'trends', fromPage);
}

/** The comparison plots of one conclusion in one regime, for the comparison section. */
function comparisonFigureLines(figures: readonly PlacedFigure[], fromPage: string): (regime: string, conclusion: string) => string[] {
  return (regime, conclusion) => figureLinks(figures.filter((f) => f.section === 'comparisons' && f.regime === regime && f.conclusion === conclusion), 'comparisons', fromPage);
}

const PAGE_SECTIONS = ['tightness', 'counterexamples', 'slack', 'trends', 'comparisons'];

export function renderPage(rs: Result[], figures: readonly PlacedFigure[] = placed(rs), paper: PaperRef = paperOf(rs[0])): string {
  const sorted = sortRegimes(rs);
  const t = sorted[0].theorem;
  const page = pagePath(t.id);
  return [
    `# ${t.title}`,
    '',
    `\`${t.id}\` · kind \`${t.kind}\` · [all theorems](${linkFrom(page, 'README.md')}) · [all claims of ${paper.citation}](${linkFrom(page, paper.page)})`,
    '',
    ...sourceLines(sorted),
    ...statementSection(sorted, '##'),
    ...checkedSection(sorted, '##'),
    ...verdictSection(sorted, '##'),
    ...hypothesesSection(sorted, '##'),
    ...tightnessSection(sorted, '##', figures, page),
    ...renderSearchSection(sorted),
    ...slackSection(sorted, '##', figures, page),
    ...renderSoftClaims(sorted),
    ...trendSection(sorted, '##', trendFigureLines(figures, page)),
    ...comparisonSection(sorted, '##', comparisonFigureLines(figures, page)),
    ...counterexamplesSection(sorted, '##', figures, page),
    ...morePlots(figures, PAGE_SECTIONS, '##', page),
    ...instancesSection(sorted, '##'),
  ].join('\n');
}

/**
 * The audit page of one paper: every claim of it that is checked, each with its statement,
 * hypotheses measured against required, verdicts, tightness with plots, and counterexamples with
 * the commands that replay them. The instance tables stay on the theorem pages.
 */
export function renderPaperPage(paper: PaperRef, theorems: readonly Result[][], figures: ReadonlyMap<string, readonly PlacedFigure[]> = new Map()): string {
  const page = paper.page;
  const out = [
    `# ${paper.title}`,
    '',
    `${paper.authors.join(', ')} (${paper.year})${paper.venue ? `. ${paper.venue}` : ''}${paper.arxiv ? `. ${arxivLink(paper.arxiv)}` : ''}. [All theorems](${linkFrom(page, 'README.md')}).`,
    '',
    `Audit page: the ${theorems.length} claim${theorems.length === 1 ? '' : 's'} of this paper that provably checks, each with what was measured.`,
    '',
    table(
      ['claim', 'locator', 'fidelity', 'verdict per regime'],
      theorems.map((rs) => {
        const t = rs[0].theorem;
        return [`[${t.title}](${linkFrom(page, pagePath(t.id))})`, t.provenance.locator, t.provenance.fidelity, sortRegimes(rs).map((r) => `${expectationMark(r)} \`${r.regime.name}\` ${regimeVerdict(r)}`).join('<br>')];
      }),
    ),
    '',
  ];
  for (const rs of theorems) {
    const sorted = sortRegimes(rs);
    const t = sorted[0].theorem;
    const figs = figures.get(t.id) ?? placed(rs);
    out.push(`## ${t.provenance.locator}: ${t.title}`, '', `\`${t.id}\` · kind \`${t.kind}\` · [theorem page with every instance](${linkFrom(page, pagePath(t.id))})`, '');
    out.push(...sourceLines(sorted));
    out.push(...statementSection(sorted, '###'), ...checkedSection(sorted, '###'), ...verdictSection(sorted, '###'), ...hypothesesSection(sorted, '###'));
    out.push(...tightnessSection(sorted, '###', figs, page), ...renderSearchSection(sorted, '###'), ...slackSection(sorted, '###', figs, page), ...renderSoftClaims(sorted, '###'), ...trendSection(sorted, '###', trendFigureLines(figs, page)), ...comparisonSection(sorted, '###', comparisonFigureLines(figs, page)), ...counterexamplesSection(sorted, '###', figs, page), ...morePlots(figs, PAGE_SECTIONS, '###', page));
  }
  return out.join('\n');
}

export function groupByTheorem(results: readonly Result[]): Map<string, Result[]> {
  const by = new Map<string, Map<string, Result>>();
  for (const r of results) {
    const regimes = by.get(r.theorem.id) ?? new Map<string, Result>();
    regimes.set(r.regime.name, r); // a later file for the same regime replaces an earlier one
    by.set(r.theorem.id, regimes);
  }
  return new Map([...by.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, m]) => [id, [...m.values()]]));
}
