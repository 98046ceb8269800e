/**
 * The Markdown of `trend` conclusions on a theorem page: what each trend claims and how it is
 * tested, then per regime every instance's statistic and p-values, and the observations of one
 * instance (y at each x, per seed), so a reader sees the trend itself and not only its p-value.
 */
import { fmt } from '../check/format.ts';
import type { TrendOutcome } from '../check/trend.ts';
import type { ConclusionRecord, Result } from '../record/result.ts';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

const TEST_NAME = { t: 'one-sample Student t test', sign: 'exact sign test' } as const;

/** One line under "What is checked" for a trend conclusion. */
export function trendClaimLine(c: ConclusionRecord): string {
  const t = c.trend!;
  return `  - per seed: ${t.statistic} (${t.y.name} against ${t.x.name}); claim: ${t.claimText}; ${TEST_NAME[t.test]}, one-sided at α = ${t.alpha}, over ${t.seeds.ci === t.seeds.full ? t.seeds.full : `${t.seeds.ci} (ci) / ${t.seeds.full} (full)`} seeds per instance.`;
}

function outcomeOf(i: Result['instances'][number], name: string): { verdict: string; trend?: TrendOutcome } | undefined {
  return (i.confirmation?.conclusions ?? i.conclusions).find((c) => c.name === name);
}

/** The "Trends" section of a page; empty when the theorem has no trend conclusion. */
export function trendSection(sorted: readonly Result[], h = '##', figureLines: (regime: string, conclusion: string) => string[] = () => []): string[] {
  const trends = sorted[0].theorem.conclusions.filter((c) => c.kind === 'trend' && c.trend);
  if (trends.length === 0) return [];
  const out = [`${h} Trends`, ''];
  for (const c of trends) {
    const t = c.trend!;
    out.push(`${h}# ${c.name}: $${c.tex}$`, '', `Claim: ${t.claimText}; ${TEST_NAME[t.test]} at α = ${t.alpha}. \`p(holds)\` tests "the claim is false", \`p(violated)\` tests "the claim is true".`, '');
    for (const r of sorted) {
      const rows = r.instances.flatMap((i) => {
        const o = outcomeOf(i, c.name);
        if (!o?.trend) return [];
        const tr = o.trend;
        return [[i.path, o.verdict, String(tr.seeds), fmt(tr.mean), fmt(tr.sd), fmt(tr.median), fmt(tr.pHolds), fmt(tr.pViolated)]];
      });
      if (rows.length === 0) continue;
      out.push(`\`${r.regime.name}\`:`, '', table(['instance', 'verdict', 'seeds', 'mean statistic', 'sd', 'median', 'p(holds)', 'p(violated)'], rows), '', ...figureLines(r.regime.name, c.name));
      const first = r.instances.find((i) => outcomeOf(i, c.name)?.trend);
      const tr = first && outcomeOf(first, c.name)!.trend!;
      if (tr && tr.observations.length > 0) {
        const xs = tr.observations[0].x;
        const picks = xs.length <= 10 ? xs.map((_, j) => j) : Array.from({ length: 10 }, (_, j) => Math.round((j * (xs.length - 1)) / 9));
        out.push(
          `Observations of instance \`${first!.path}\` (${t.y.name} at each ${t.x.name}, one row per seed):`,
          '',
          table(
            ['seed', 'statistic', ...picks.map((j) => `${t.x.name} = ${fmt(xs[j])}`)],
            tr.observations.map((o, s) => [String(o.seed), fmt(tr.values[s]), ...picks.map((j) => fmt(o.y[j]))]),
          ),
          '',
        );
      }
    }
  }
  return out;
}
