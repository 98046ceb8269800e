/**
 * Markdown reports, built from result records only: an index (reports/README.md) with one row per
 * theorem, and one page per theorem. Math is `$…$` (GitHub renders it). Nothing from a result's
 * `run` block (times, host) goes into a page, so the same results give the same bytes.
 */
import { join } from 'node:path';
import { fmt, fmtRatio, summaryText } from '../check/format.ts';
import type { CounterexampleRecord, InstanceRecord, Result } from './result.ts';
import { readResults, writeAtomic } from './result.ts';
import { renderSearchSection, targetedSuffix } from './search-section.ts';
import { isSoft, renderSoftClaims } from './soft-claims.ts';
import { trendClaimLine, trendSection } from './trend-markdown.ts';

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

export function replayCommand(r: CounterexampleRecord['replay']): string {
  return `npx provably replay ${r.theorem} --regime ${r.regime} --seed ${r.seed} --path ${r.path} --engine ${r.engine}${r.engine === 'tfjs' ? ` --backend ${r.backend}` : ''} --budget ${r.budget}`;
}

/** ✅ behaved as expected, ❌ did not, 🔎 a regime that only reports (expects nothing). */
function expectationMark(r: Result): string {
  if (r.regime.expect === 'observe') return '🔎';
  return r.expectation.met ? '✅' : '❌';
}

function regimeVerdict(r: Result): string {
  const c = r.counts;
  if (c.refutations > 0) return `REFUTED (${c.refutations}/${c.instances})`;
  if (c.violated > 0) return `violated ${c.violated}/${c.instances}`;
  if (c.holds > 0) return `holds ${c.holds}/${c.instances}`;
  if (c.vacuous > 0) return `vacuous ${c.vacuous}/${c.instances}`;
  return `inconclusive ${c.inconclusive}/${c.instances}`;
}

function worstTightness(r: Result): string {
  return r.worst.map((w) => `${w.conclusion}${isSoft(r, w.conclusion) ? ' (soft)' : ''}: ${fmtRatio(w.tightness)}${targetedSuffix(r, w.conclusion)}`).join('; ');
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

export function renderIndex(byTheorem: ReadonlyMap<string, Result[]>): string {
  const rows = [...byTheorem.entries()].map(([id, rs]) => {
    const t = rs[0].theorem;
    const regimes = sortRegimes(rs)
      .map((r) => `${expectationMark(r)} \`${r.regime.name}\` ${regimeVerdict(r)}`)
      .join('<br>');
    const tight = sortRegimes(rs)
      .filter((r) => r.regime.expect === 'holds' || r.regime.name === 'theorem' || r.regime.name.startsWith('proxy'))
      .map((r) => `\`${r.regime.name}\` ${worstTightness(r)}`)
      .join('<br>');
    const necessity = sortRegimes(rs)
      .filter((r) => r.regime.name.startsWith('broken:'))
      .map((r) => `\`${r.regime.name}\`: ${r.counterexample ? summaryText(r.counterexample.summary) : `none found in ${r.counts.instances}`}`)
      .join('<br>');
    return [`[${id}](${pagePath(id)})`, `${citation(rs[0])}, ${t.provenance.locator}`, t.kind, regimes, tight || '—', necessity || '—', t.provenance.fidelity];
  });
  const all = [...byTheorem.values()].flat();
  const failed = all.filter((r) => !r.expectation.met);
  const refuted = all.filter((r) => r.counts.refutations > 0);
  return [
    '# provably: checked theorems',
    '',
    'Each theorem is checked per regime: `theorem` (hypotheses meant to hold), `proxy` (hypotheses not met on purpose, the empirical question) and `broken:<hypothesis>` (a hypothesis dropped: the suite must find a counterexample). ✅ means the regime behaved as it expects; ❌ means it did not; 🔎 marks a regime that only reports what it measured.',
    '',
    `${byTheorem.size} theorem${byTheorem.size === 1 ? '' : 's'}, ${all.length} regime${all.length === 1 ? '' : 's'}: ${all.length - failed.length} as expected, ${failed.length} not${refuted.length ? `, **${refuted.length} refuted**` : ''}.`,
    '',
    table(['theorem', 'source', 'kind', 'verdict per regime', 'worst tightness (measured / bound)', 'necessity: minimal counterexample', 'fidelity'], rows),
    '',
    'Tightness is the worst measured/bound ratio over all instances and steps (1 = the bound is attained). Fidelity `read` means the statement was checked against the paper; `recalled` and `derived` mean it was not (see each page).',
    '',
  ].join('\n');
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

function instanceRow(i: InstanceRecord): string[] {
  const notMet = i.hypotheses.filter((h) => !h.holds).map((h) => h.name);
  const conclusions = (i.confirmation?.conclusions ?? i.conclusions).map((c) => `${c.name}: ${c.verdict}${c.tightness !== null ? ` (${fmtRatio(c.tightness)})` : ''}`).join('; ');
  const constants = Object.entries(i.constants)
    .slice(0, 4)
    .map(([k, v]) => `${k}=${fmt(v)}`)
    .join(', ');
  const note = i.error ?? (i.confirmation ? `float32 violation ${i.confirmation.verdict === 'violated' ? 'confirmed' : 'NOT confirmed'} in float64` : '');
  return [i.path, summaryText(i.summary), notMet.length ? notMet.join(', ') : 'all met', VERDICT_MARK[i.verdict] ?? i.verdict, conclusions, constants, note];
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
  for (const c of cx.confirmation?.conclusions ?? cx.conclusions) lines.push(`- ${c.name}: ${VERDICT_MARK[c.verdict]}. ${c.reason}.`);
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

export function renderPage(rs: Result[]): string {
  const sorted = sortRegimes(rs);
  const t = sorted[0].theorem;
  const p = t.provenance;
  const out: string[] = [
    `# ${t.title}`,
    '',
    `\`${t.id}\` · kind \`${t.kind}\` · [all theorems](${'../'.repeat(t.id.split('/').length - 1)}README.md)`,
    '',
    `**Source.** ${p.authors.join(', ')} (${p.year}). *${p.title}*${p.venue ? `. ${p.venue}` : ''}${p.arxiv ? `. ${arxivLink(p.arxiv)}` : ''}. ${p.locator}.`,
    '',
    `**Fidelity: ${p.fidelity}.** ${p.fidelity === 'read' ? 'The statement below was checked against the source text.' : 'The statement below was not checked word for word against the source text.'}${p.fidelityNote ? ` ${p.fidelityNote}` : ''}`,
    '',
    '## Statement',
    '',
    t.statement,
    '',
    '## What is checked',
    '',
  ];
  for (const c of t.conclusions) {
    out.push(`- **${c.name}**${c.about ? ` (${c.about})` : ''}${c.guarantee ? `, ${c.guarantee} bound` : ''}${c.soft ? ', soft claim (reported, not judged)' : ''}: $${c.tex}$`);
    if (c.kind === 'bound') out.push(`  - bound \`${c.bound}\`; float noise floor \`${c.floor}\`${c.trivial ? `; vacuous where the bound is no stronger than \`${c.trivial}\`` : ''}.`);
    if (c.kind === 'trend' && c.trend) out.push(trendClaimLine(c));
  }
  out.push('', 'Constants, computed in float64 on each instance:', '');
  out.push(table(['name', 'symbol', 'meaning'], Object.entries(t.constants).map(([k, v]) => [`\`${k}\``, `$${v.tex}$`, v.about ?? ''])));
  out.push('', '## Verdicts per regime', '');
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
  for (const r of sorted) out.push(`- \`${r.regime.name}\`: ${r.regime.about}. Seed ${r.settings.seed}, budget \`${r.settings.budget}\`, ${r.settings.runs} instances.`);
  out.push('', '## Hypotheses: measured against required', '');
  out.push(table(['regime', 'hypothesis', 'met', 'measured', 'required'], hypothesisRows(sorted)));
  out.push('', '## Tightness', '', 'Worst measured/bound ratio over every instance and step (1 = attained; above 1 = violated).', '');
  out.push(
    table(
      ['regime', ...t.conclusions.map((c) => c.name)],
      sorted.map((r) => [`\`${r.regime.name}\``, ...t.conclusions.map((c) => {
        const w = r.worst.find((x) => x.conclusion === c.name);
        return w?.tightness == null ? '—' : `${fmtRatio(w.tightness)} (instance ${w.path}, step ${w.step ?? '—'})`;
      })]),
    ),
  );
  out.push('');
  for (const c of t.conclusions.filter((c) => c.kind !== 'trend'))
    for (const r of sorted.filter((r) => r.regime.expect === 'holds')) out.push(...curveTable(r, c.name).map((l, i) => (i === 0 ? `**${c.name}.** ${l}` : l)));
  out.push(...renderSearchSection(sorted), ...renderSoftClaims(sorted), ...trendSection(sorted));
  out.push('## Counterexamples', '');
  const withCx = sorted.filter((r) => r.counterexample || r.regime.expect === 'violated');
  if (withCx.length === 0) out.push('No regime produced a violation.', '');
  for (const r of withCx) out.push(...counterexampleSection(r));
  out.push('## Instances', '');
  for (const r of sorted) {
    out.push(`<details><summary><code>${r.regime.name}</code>: ${r.instances.length} instances</summary>`, '');
    out.push(table(['path', 'instance', 'hypotheses not met', 'verdict', 'conclusions (tightness)', 'constants', 'note'], r.instances.map(instanceRow)));
    out.push('', '</details>', '');
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

/** Read every result under `sources`, write the index and one page per theorem into `outDir`. */
export function writeReports(sources: readonly string[], outDir: string): { pages: string[]; index: string; results: number } {
  const results = readResults(sources).filter((r) => r.settings.source === 'drawn');
  const byTheorem = groupByTheorem(results);
  const pages: string[] = [];
  for (const [id, rs] of byTheorem) {
    const path = join(outDir, pagePath(id));
    writeAtomic(path, renderPage(rs));
    pages.push(path);
  }
  const index = join(outDir, 'README.md');
  writeAtomic(index, renderIndex(byTheorem));
  return { pages, index, results: results.length };
}
