/**
 * The report's view of targeted worst-case search (src/check/targeted.ts): per regime and bound,
 * the worst tightness from the random draw beside the worst the ascent reached, and the reached
 * instance itself (measured against bound along the run, its parameters, how to check it again).
 * The curves are in the result record (`search.conclusions[].targeted.instance.curves`) for plots.
 */
import { fmt, fmtRatio, summaryText } from '../check/format.ts';
import type { Curve } from '../check/instance.ts';
import type { SearchedInstance } from '../check/targeted.ts';
import type { Result } from '../record/result.ts';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** ' · targeted 0.45' after a conclusion's random worst, where a search ran. */
export function targetedSuffix(r: Result, conclusion: string): string {
  const c = r.search?.conclusions.find((x) => x.conclusion === conclusion);
  if (!c || r.search?.skipped) return '';
  return ` · targeted ${fmtRatio(c.targeted.tightness)}`;
}

/** Why a regime that expects `holds` had no targeted search, in words for its line ('' when it had one). */
export function searchSkipped(r: Result): string {
  return r.search?.skipped ? `no targeted worst-case search: ${r.search.skipped}` : '';
}

export function paramsReplayCommand(i: SearchedInstance, file = 'params.json'): string {
  const r = i.replay;
  return `npx provably replay ${r.theorem} --regime ${r.regime} --params ${file} --engine ${r.engine}${r.engine === 'tfjs' ? ` --backend ${r.backend}` : ''} --budget ${r.budget} --expect ${i.verdict}`;
}

/**
 * Measured against bound at eight steps spread over the run and at the worst ratio. The ratio is the
 * tightness (measured/bound for ≤, bound/measured for ≥); steps whose bound is under the float
 * noise floor say so instead.
 */
export function curveRows(curve: Curve, relation: '<=' | '>=' = '<='): string[][] {
  const n = curve.k.length;
  const assessable = (j: number) => curve.bound[j] >= curve.floor && curve.bound[j] > 0;
  const ratio = (j: number) => (!assessable(j) ? NaN : relation === '<=' ? curve.measured[j] / curve.bound[j] : curve.measured[j] > 0 ? curve.bound[j] / curve.measured[j] : Infinity);
  const picks = new Set(Array.from({ length: Math.min(8, n) }, (_, j) => Math.round((j * (n - 1)) / Math.max(1, Math.min(8, n) - 1))));
  let worst = -1;
  for (let j = 1; j < n; j++) if (!Number.isNaN(ratio(j)) && (worst < 0 || ratio(j) > ratio(worst))) worst = j;
  if (worst >= 0) picks.add(worst);
  return [...picks]
    .sort((a, b) => a - b)
    .map((j) => [String(curve.k[j]), fmt(curve.measured[j]), fmt(curve.bound[j]), assessable(j) ? fmtRatio(ratio(j)) : Number.isNaN(curve.bound[j]) ? '—' : 'below the noise floor']);
}

function hypothesesText(i: SearchedInstance): string {
  const notMet = i.hypotheses.filter((h) => !h.holds).map((h) => h.name);
  return notMet.length ? `not met: ${notMet.join(', ')}` : 'all met';
}

function instanceBlock(r: Result, conclusion: string, i: SearchedInstance): string[] {
  const out = [
    `**${conclusion}** (\`${r.regime.name}\`): the worst instance the ascent reached, from drawn instance \`${i.start}\` after ${i.accepted} accepted step${i.accepted === 1 ? '' : 's'}: ${summaryText(i.summary)}; hypotheses ${hypothesesText(i)}; verdict ${i.verdict}.`,
    '',
  ];
  const curve = i.curves.find((c) => c.conclusion === conclusion);
  const relation = r.theorem.conclusions.find((c) => c.name === conclusion)?.relation ?? '<=';
  if (curve) out.push(table(['step k', 'measured', 'bound', relation === '<=' ? 'measured / bound' : 'bound / measured'], curveRows(curve, relation)), '', `Float noise floor ${fmt(curve.floor)}.`, '');
  out.push(
    '<details><summary>parameters, and how to check this instance again</summary>',
    '',
    '```json',
    JSON.stringify(i.params),
    '```',
    '',
    'Save the parameters as `params.json`, then:',
    '',
    '```sh',
    paramsReplayCommand(i),
    '```',
    '',
    '</details>',
    '',
  );
  return out;
}

export function renderSearchSection(results: readonly Result[], h = '##'): string[] {
  const searched = results.filter((r) => r.search);
  if (searched.length === 0) return [];
  const out = [
    `${h} Targeted worst-case search`,
    '',
    `Random instances rarely sit where a bound is tight. After the random draw, each bound of a regime expecting \`holds\` gets a ${searched[0].search!.method}. Every instance it reaches is checked like a drawn one (same tolerance model, float32 violations confirmed in float64), so a ratio above 1 is a violation, and with every hypothesis met a refutation.`,
    '',
  ];
  const rows: string[][] = [];
  for (const r of searched)
    for (const c of r.search!.conclusions)
      rows.push([
        `\`${r.regime.name}\``,
        c.conclusion,
        c.random.tightness === null ? '—' : `${fmtRatio(c.random.tightness)} (instance ${c.random.path})`,
        r.search!.skipped ? `not run: ${r.search!.skipped}` : `${fmtRatio(c.targeted.tightness)}${c.targeted.improved ? '' : ' (no improvement)'}`,
        String(c.targeted.evaluations),
        c.targeted.instance ? hypothesesText(c.targeted.instance) : '—',
      ]);
  out.push(table(['regime', 'bound', 'worst tightness: random draw', 'worst tightness: targeted search', 'evaluations', 'hypotheses at the targeted worst'], rows), '');
  for (const r of searched) {
    for (const v of r.search!.violations) {
      const which = v.conclusions.filter((c) => c.verdict === 'violated').map((c) => `${c.name} (${c.reason})`).join('; ');
      out.push(`**${v.hypothesesMet ? 'REFUTATION' : 'Violation'} found by targeted search** in \`${r.regime.name}\`: ${summaryText(v.summary)}: ${which}.`, '');
      out.push(...instanceBlock(r, v.conclusions.find((c) => c.verdict === 'violated')?.name ?? '', v));
    }
    for (const c of r.search!.conclusions) if (c.targeted.instance && c.targeted.improved) out.push(...instanceBlock(r, c.conclusion, c.targeted.instance));
  }
  return out;
}
