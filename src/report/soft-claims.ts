/**
 * Soft claims (a bound with `soft: true`) are reported, not judged: this section gives, per regime,
 * how often each one was violated, over instances and over the steps of the runs.
 */
import { fmtRatio } from '../check/format.ts';
import type { Result } from '../record/result.ts';

export function isSoft(r: Result, conclusion: string): boolean {
  return r.theorem.conclusions.find((c) => c.name === conclusion)?.soft === true;
}

export function renderSoftClaims(results: readonly Result[], h = '##'): string[] {
  const soft = results[0]?.theorem.conclusions.filter((c) => c.soft) ?? [];
  if (soft.length === 0) return [];
  const rows: string[][] = [];
  for (const c of soft)
    for (const r of results) {
      let instances = 0;
      let violating = 0;
      let steps = 0;
      let bad = 0;
      let worst: number | null = null;
      for (const i of r.instances) {
        const o = (i.confirmation?.conclusions ?? i.conclusions).find((x) => x.name === c.name);
        if (!o) continue;
        instances++;
        if (o.verdict === 'violated') violating++;
        steps += o.assessedSteps + o.violatedSteps;
        bad += o.violatedSteps;
        if (o.tightness !== null && (worst === null || o.tightness > worst)) worst = o.tightness;
      }
      const rate = steps > 0 ? `${bad}/${steps} (${((100 * bad) / steps).toFixed(1)}%)` : '—';
      rows.push([`\`${r.regime.name}\``, c.name, `${violating}/${instances}`, rate, fmtRatio(worst)]);
    }
  const head = ['regime', 'soft claim', 'instances with a violation', 'violating steps / checked steps', 'worst ratio'];
  return [
    `${h} Soft claims`,
    '',
    'A soft claim is checked at every step and reported here, but left out of the verdict: it rests on an assumption the runs only approximately meet.',
    '',
    [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n'),
    '',
  ];
}
