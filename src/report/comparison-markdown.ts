/**
 * The Markdown of `comparison` conclusions on a theorem page: what each comparison claims and how
 * it is tested, then per regime every instance's margin statistics and p-values, the plot of both
 * methods' curves, and the per-seed table of one instance (A's measure, B's, the margin), so a
 * reader sees every paired run and not only a p-value.
 */
import { fmt } from '../check/format.ts';
import type { ComparisonOutcome } from '../record/outcome.ts';
import type { ConclusionRecord, Result } from '../record/result.ts';

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

const TEST_NAME = { t: 'paired Student t test', sign: 'exact sign test' } as const;

/** One line under "What is checked" for a comparison. */
export function comparisonClaimLine(c: ConclusionRecord): string {
  const k = c.comparison!;
  const seeds = k.seeds.ci === k.seeds.full ? String(k.seeds.full) : `${k.seeds.ci} (ci) / ${k.seeds.full} (full)`;
  return `  - paired over ${seeds} seeds per instance (A = ${k.a.name}, B = ${k.b.name} on the same data and initialisation); claim: ${k.claimText}; ${TEST_NAME[k.test]} on the per-seed margins, one-sided at α = ${k.alpha}.`;
}

function outcomeOf(i: Result['instances'][number], name: string): { verdict: string; comparison?: ComparisonOutcome } | undefined {
  return (i.confirmation?.conclusions ?? i.conclusions).find((c) => c.name === name);
}

/** The "Comparisons" section of a page; empty when the theorem has no comparison. */
export function comparisonSection(sorted: readonly Result[], h = '##', figureLines: (regime: string, conclusion: string) => string[] = () => []): string[] {
  const comps = sorted[0].theorem.conclusions.filter((c) => c.kind === 'comparison' && c.comparison);
  if (comps.length === 0) return [];
  const out = [`${h} Comparisons`, ''];
  for (const c of comps) {
    const k = c.comparison!;
    const log = k.measure.scale === 'log' ? ' (on a log measure the test runs on log ratios against the log of the factor; tables show ratios)' : '';
    out.push(
      `${h}# ${c.name}: $${c.tex}$`,
      '',
      `Claim: ${k.claimText}${log}; ${TEST_NAME[k.test]} at α = ${k.alpha}. \`p(holds)\` tests "A does not beat B by the margin", \`p(violated)\` tests "A beats B by the margin". A diverged run counts as the worst value of ${k.measure.name}.`,
      '',
    );
    // On a log measure the stored margins are log ratios; pages show them as ratios (B/A), like the claim.
    const onLog = k.measure.scale === 'log';
    const shown = (d: number) => fmt(onLog ? Math.exp(d) : d);
    for (const r of sorted) {
      const rows = r.instances.flatMap((i) => {
        const o = outcomeOf(i, c.name);
        if (!o?.comparison) return [];
        const m = o.comparison;
        return [[i.path, o.verdict, `${m.usable}/${m.seeds}`, shown(m.mean), onLog ? `×${fmt(Math.exp(m.sd))}` : fmt(m.sd), shown(m.min), fmt(m.pHolds), fmt(m.pViolated)]];
      });
      if (rows.length === 0) continue;
      const head = onLog ? ['instance', 'verdict', 'usable seeds', 'geometric mean ratio', 'geometric sd', 'min ratio', 'p(holds)', 'p(violated)'] : ['instance', 'verdict', 'usable seeds', 'mean margin', 'sd', 'min margin', 'p(holds)', 'p(violated)'];
      out.push(`\`${r.regime.name}\`:`, '', table(head, rows), '', ...figureLines(r.regime.name, c.name));
      const first = r.instances.find((i) => outcomeOf(i, c.name)?.comparison);
      const m = first && outcomeOf(first, c.name)!.comparison!;
      if (m) {
        out.push(
          `Per-seed margins of instance \`${first!.path}\` (${k.measure.name}; margin = ${onLog ? 'the ratio' : 'the difference'} by which ${k.a.name} beat ${k.b.name}):`,
          '',
          table(['seed', `${k.measure.name}: ${k.a.name}`, `${k.measure.name}: ${k.b.name}`, onLog ? 'ratio' : 'margin', `> ${fmt(k.margin)}`], m.margins.map((d, s) => [String(s), fmt(m.a[s]), fmt(m.b[s]), shown(d), Number.isNaN(d) ? '—' : d > (onLog ? Math.log(k.margin) : k.margin) ? 'yes' : 'no'])),
          '',
        );
      }
    }
  }
  return out;
}
