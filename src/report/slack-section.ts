/**
 * The report's view of hypothesis-slack searches (src/check/slack.ts): for every hypothesis of the
 * theorem, the requirement beside the value from which the conclusion held in ≥ 95% of seeds, the
 * slack factor, how the boundary was searched, and the slack curve (fraction of seeds held against
 * the hypothesis's value). A hypothesis no regime searched says why.
 */
import { fmt } from '../check/format.ts';
import type { SlackRecord } from '../check/slack.ts';
import type { Result } from '../record/result.ts';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** 'width: 3.5e14' for the index; '' when no regime searched any slack. */
export function slackSummary(rs: readonly Result[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const r of rs)
    for (const s of r.slack ?? []) {
      const key = `${s.hypothesis}\u0000${s.conclusion}`;
      if (seen.has(key)) continue;
      seen.add(key);
      parts.push(`${s.hypothesis}: ${slackValue(s)}`);
    }
  return parts.join('<br>');
}

export function slackValue(s: Pick<SlackRecord, 'status' | 'slack'>): string {
  if (s.slack === null) return s.status === 'nowhere' ? 'none found' : '—';
  return s.status === 'everywhere' ? `≥ ${fmt(s.slack)}` : fmt(s.slack);
}

function boundaryText(s: SlackRecord): string {
  const pct = `${Math.round(s.target * 100)}%`;
  if (s.status === 'nowhere') return `never in ≥ ${pct} of ${s.seeds} seeds`;
  const rel = s.relation === '>=' ? (s.status === 'everywhere' ? '≤' : '≈') : s.status === 'everywhere' ? '≥' : '≈';
  return `${s.relation === '>=' ? 'from' : 'up to'} ${s.symbol} ${rel} ${fmt(s.boundary)} in ≥ ${pct} of ${s.seeds} seeds`;
}

/**
 * The "Hypothesis slack" section of a page. `figureLines(regime, search)` gives the image lines of
 * the slack curve of one search (the page owns figure paths).
 */
export function renderSlackSection(sorted: readonly Result[], figureLines: (r: Result, s: SlackRecord) => string[], h = '##'): string[] {
  const searched = sorted.filter((r) => (r.slack ?? []).length > 0);
  const hyps = sorted[0].theorem.hypotheses;
  if (searched.length === 0 && !hyps.some((x) => x.noSlack)) return [];
  const out = [
    `${h} Hypothesis slack`,
    '',
    'How far from necessary each hypothesis is: from one base instance only the hypothesis’s value changes, each value is checked on several seeds exactly like a drawn instance, and the boundary is where the conclusion starts to hold on at least the target fraction of them. Slack = required ÷ boundary for a `≥` hypothesis (boundary ÷ required for `≤`): how many times stronger the hypothesis is than what was needed here.',
    '',
  ];
  const rows: string[][] = [];
  for (const hyp of hyps) {
    const found = searched.flatMap((r) => (r.slack ?? []).filter((s) => s.hypothesis === hyp.name).map((s) => [r, s] as const));
    if (found.length === 0) {
      rows.push([`${hyp.name} ($${hyp.tex}$)`, '—', '—', '—', '—', hyp.noSlack ? `not searched: ${hyp.noSlack}` : 'not searched']);
      continue;
    }
    for (const [r, s] of found)
      rows.push([
        `${hyp.name} ($${hyp.tex}$)`,
        `\`${r.regime.name}\`: ${s.conclusion}`,
        s.required === null ? '—' : `${s.symbol} ${s.relation === '>=' ? '≥' : '≤'} ${fmt(s.required)}`,
        boundaryText(s),
        slackValue(s),
        s.text,
      ]);
  }
  out.push(table(['hypothesis', 'regime: conclusion', 'requires', 'held', 'slack', 'in words'], rows), '');
  for (const r of searched)
    for (const s of r.slack ?? []) {
      out.push(`**${s.hypothesis} → ${s.conclusion}** (\`${r.regime.name}\`): ${s.about}. ${s.text}.`, '');
      out.push(`Searched: ${s.method}; ${s.evaluations} runs${s.refutations ? `; **${s.refutations} replicate(s) violated with every hypothesis met: refutations**` : ''}. Base instance at the boundary: ${Object.entries(s.base).map(([k, v]) => `${k} = ${typeof v === 'number' ? fmt(v) : String(v)}`).join(', ') || '—'}.`, '');
      out.push(...figureLines(r, s));
      out.push(
        table(
          [s.symbol, 'held', 'of', 'violated', 'reached the target', 'found by'],
          s.points.map((p) => [fmt(p.x), String(p.held), `${p.of}${p.abandoned ? ' (abandoned)' : ''}`, String(p.violated), p.passed ? 'yes' : 'no', p.phase]),
        ),
        '',
      );
    }
  return out;
}
