/**
 * Which plots a theorem's page shows, derived from its results only. A figure source reads result
 * fields and returns figures (a plot plus where it goes); adding a kind of plot for a new result
 * field is adding a source to FIGURE_SOURCES, e.g. for trend claims:
 *
 *   const trendFigures: FigureSource = (rs) => rs.flatMap((r) => (r.trend ? [{
 *     id: figureId('trend', r.regime.name), section: 'trends', alt: `…`,
 *     plot: { kind: 'trendBand', title: …, x: { title: r.trend.parameter, scale: 'log' }, y: { title: r.trend.statistic },
 *             series: [{ label: r.trend.statistic, points: r.trend.points }], band: '95% interval over seeds' },
 *   }] : []));
 *
 * and calling `figureLinks(figures, 'trends', pagePath)` in the page's trend section. A figure whose
 * section the page does not place still appears, under "More plots", so none is lost.
 */
import { fmt, fmtRatio } from '../check/format.ts';
import type { Curve } from '../check/instance.ts';
import { trendPoints } from '../check/bands.ts';
import type { Line, Plot, TrendPoint } from './plots.ts';

export { trendPoints };
import { TREND_INSTANCES_SHOWN, type ConclusionRecord, type Result } from '../record/result.ts';

export interface Figure {
  /** Unique among one theorem's figures; becomes the file name (`<id>.svg`). */
  readonly id: string;
  /** The page section that shows it ('tightness', 'counterexamples', or a section a source adds). */
  readonly section: string;
  /** What the plot shows, in words: the image's alt text. */
  readonly alt: string;
  readonly plot: Plot;
  /** The regime and conclusion it is about, if one: a section places it next to their text. */
  readonly regime?: string;
  readonly conclusion?: string;
}

/** All regimes of one theorem in, figures out. */
export type FigureSource = (results: readonly Result[]) => Figure[];

/** A file-name-safe id from parts: figureId('worst', 'linear rate', 'broken:width') → 'worst-linear-rate-broken-width'. */
export function figureId(...parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function boundConclusions(r: Result): ConclusionRecord[] {
  return r.theorem.conclusions.filter((c) => c.kind === 'bound');
}

function curveLines(c: ConclusionRecord, curve: Curve): { lines: Line[] } {
  return {
    lines: [
      { label: `measured: ${c.measured ?? 'series'}`, role: 'measured', x: curve.k, y: curve.measured },
      { label: `bound${c.relation ? ` (${c.relation})` : ''}: ${c.bound ?? ''}`, role: 'bound', x: curve.k, y: curve.bound },
    ],
  };
}

/** Measured against bound over steps, for the worst instance of every regime that is not `broken:`. */
export const worstCurveFigures: FigureSource = (rs) =>
  rs.flatMap((r) => {
    if (r.regime.name.startsWith('broken:')) return [];
    return boundConclusions(r).flatMap((c) => {
      const curve = r.worstCurves.find((cv) => cv.conclusion === c.name);
      if (!curve) return [];
      const worst = r.worst.find((w) => w.conclusion === c.name);
      const inst = r.instances.find((i) => i.index === curve.index);
      const outcome = (inst?.confirmation?.conclusions ?? inst?.conclusions)?.find((o) => o.name === c.name);
      const markers = [
        ...(worst?.step != null ? [{ value: worst.step, label: `worst step ${worst.step}` }] : []),
        ...(outcome?.firstViolation ? [{ value: outcome.firstViolation.k, label: `first violation, step ${outcome.firstViolation.k}` }] : []),
      ];
      const figure: Figure = {
        id: figureId('worst', c.name, r.regime.name),
        section: 'tightness',
        regime: r.regime.name,
        conclusion: c.name,
        alt: `${c.name}: measured ${c.measured} and its bound over the steps of the worst instance of regime ${r.regime.name} (instance ${curve.index}, tightness ${fmtRatio(worst?.tightness)}), log scale, float noise floor ${fmt(curve.floor)}`,
        plot: {
          kind: 'lineVsBound',
          title: `${c.name} · ${r.regime.name}: worst instance (${curve.index}), tightness ${fmtRatio(worst?.tightness)}`,
          subtitle: `${r.settings.engine.id}/${r.settings.engine.backend}, ${r.counts.instances} instances, seed ${r.settings.seed}, budget ${r.settings.budget}`,
          x: { title: 'step k' },
          y: { title: c.measured ?? 'measured', scale: 'log' },
          ...curveLines(c, curve),
          floor: { value: curve.floor, label: 'float noise floor' },
          markers,
        },
      };
      return [figure];
    });
  });

/** Tightness of every instance, one row per regime (rows get their own axes: broken regimes reach ∞). */
export const tightnessFigures: FigureSource = (rs) => {
  const first = rs[0];
  if (!first) return [];
  return boundConclusions(first).flatMap((c) => {
    const groups = rs.map((r) => {
      const values: number[] = [];
      let missing = 0;
      for (const inst of r.instances) {
        const t = (inst.confirmation?.conclusions ?? inst.conclusions).find((o) => o.name === c.name)?.tightness;
        if (t === null || t === undefined) missing++;
        else values.push(t);
      }
      return { label: `${r.regime.name}${missing ? `, ${missing} without an assessed step` : ''}`, values };
    });
    if (groups.every((g) => g.values.length === 0)) return [];
    return [
      {
        id: figureId('tightness', c.name),
        section: 'tightness',
        conclusion: c.name,
        alt: `${c.name}: the tightness (measured / bound at the worst step) of every instance, one row per regime, log scale`,
        plot: {
          kind: 'distribution',
          title: `${c.name}: tightness of every instance`,
          subtitle: 'measured / bound at each instance’s worst step; above 1 means violated',
          axis: { title: 'tightness (measured / bound)', scale: 'log' },
          axes: 'independent',
          groups,
          reference: [{ value: 1, label: 'bound attained' }],
        },
      } satisfies Figure,
    ];
  });
};

/** The curves of each minimal counterexample, showing where the bound breaks. */
export const counterexampleFigures: FigureSource = (rs) =>
  rs.flatMap((r) => {
    const cx = r.counterexample;
    if (!cx) return [];
    return boundConclusions(r).flatMap((c) => {
      const curve = cx.curves.find((cv) => cv.conclusion === c.name);
      const outcome = (cx.confirmation?.conclusions ?? cx.conclusions).find((o) => o.name === c.name);
      if (!curve || outcome?.verdict !== 'violated') return [];
      return [
        {
          id: figureId('counterexample', c.name, r.regime.name),
          section: 'counterexamples',
          regime: r.regime.name,
          conclusion: c.name,
          alt: `${c.name}: measured ${c.measured} and its bound over the steps of the minimal counterexample of regime ${r.regime.name}, log scale`,
          plot: {
            kind: 'lineVsBound',
            title: `${c.name} · ${r.regime.name}: minimal counterexample`,
            subtitle: `fast-check path ${cx.path}, after ${cx.shrinks} shrinks`,
            x: { title: 'step k' },
            y: { title: c.measured ?? 'measured', scale: 'log' },
            ...curveLines(c, curve),
            floor: { value: curve.floor, label: 'float noise floor' },
            markers: outcome.firstViolation ? [{ value: outcome.firstViolation.k, label: `first violation, step ${outcome.firstViolation.k}` }] : [],
          },
        } satisfies Figure,
      ];
    });
  });

/** The slack curve of every hypothesis-slack search: fraction of seeds held against the hypothesis's value. */
export const slackFigures: FigureSource = (rs) =>
  rs.flatMap((r) =>
    (r.slack ?? []).map(
      (s): Figure => ({
        id: figureId('slack', r.regime.name, s.hypothesis, s.conclusion),
        section: 'slack',
        regime: r.regime.name,
        conclusion: s.conclusion,
        alt: `${s.conclusion}: fraction of ${s.seeds} seeds on which it held against ${s.hypothesis} (${s.symbol}), with the theorem's requirement ${s.symbol} ${s.relation === '>=' ? '≥' : '≤'} ${fmt(s.required)} marked`,
        plot: {
          kind: 'slackCurve',
          title: `${s.conclusion} against ${s.hypothesis} · ${r.regime.name}`,
          subtitle: `${s.status === 'found' ? `boundary ${s.symbol} ≈ ${fmt(s.boundary)}` : s.status === 'everywhere' ? `held at every value tried` : 'never reached the target'}; slack ${s.slack === null ? '—' : `${s.status === 'everywhere' ? '≥ ' : ''}${fmt(s.slack)}`}`,
          x: { title: s.symbol, scale: 'log' },
          series: [{ label: s.conclusion, points: s.points.map((p) => ({ x: p.x, held: p.held, of: p.of })) }],
          required: { value: s.required ?? NaN, label: `required: ${s.symbol} ${s.relation === '>=' ? '≥' : '≤'} ${fmt(s.required)}` },
          target: { value: s.target, label: `${Math.round(s.target * 100)}% of seeds` },
        },
      }),
    ),
  );

/** The claimed slope drawn through the first point (log–log: a power law; linear: a line). */
function claimLine(points: readonly TrendPoint[], slope: number, xs: 'linear' | 'log', ys: 'linear' | 'log'): { x: number; y: number }[] {
  const first = points[0];
  if (!first || !Number.isFinite(slope)) return [];
  const tx = (v: number) => (xs === 'log' ? Math.log(v) : v);
  return points.map((p) => {
    const dy = slope * (tx(p.x) - tx(first.x));
    return { x: p.x, y: ys === 'log' ? first.y * Math.exp(dy) : first.y + dy };
  });
}

/** Per trend conclusion and regime: the trend itself (mean over seeds and its band) for up to four instances. */
export const trendFigures: FigureSource = (rs) =>
  rs.flatMap((r) =>
    r.theorem.conclusions
      .filter((c) => c.kind === 'trend' && c.trend)
      .flatMap((c): Figure[] => {
        const t = c.trend!;
        // A results file keeps the observations of the instances plotted (src/record/result.ts slimResult); the rest count through observationsOmitted.
        // A plotted instance may keep only the points its plot draws (its mean and band at each x).
        const observed = (i: Result['instances'][number], whole: boolean) => (i.confirmation?.conclusions ?? i.conclusions).some((o) => o.name === c.name && o.trend && (o.trend.observations.length > 0 || (o.trend.points?.length ?? 0) > 0 || (!whole && (o.trend.observationsOmitted ?? 0) > 0)));
        const with_ = r.instances.filter((i) => observed(i, false));
        if (with_.length === 0) return [];
        const shown = r.instances.filter((i) => observed(i, true)).slice(0, TREND_INSTANCES_SHOWN);
        const series = shown.map((i) => {
          const o = (i.confirmation?.conclusions ?? i.conclusions).find((x) => x.name === c.name)!.trend!;
          return { label: `instance ${i.path} (${o.seeds} seeds): ${(i.confirmation?.conclusions ?? i.conclusions).find((x) => x.name === c.name)!.verdict}`, points: o.points ?? trendPoints(o.observations, t.y.scale) };
        });
        const slope = 'within' in t.claim ? (t.claim.within[0] + t.claim.within[1]) / 2 : NaN;
        const defaultStatistic = t.statistic.startsWith('slope of');
        const ref = defaultStatistic ? claimLine(series[0].points, slope, t.x.scale, t.y.scale) : [];
        return [
          {
            id: figureId('trend', c.name, r.regime.name),
            section: 'trends',
            regime: r.regime.name,
            conclusion: c.name,
            alt: `${c.name}: ${t.y.name} against ${t.x.name} in regime ${r.regime.name}, mean over seeds with a 95% band, for ${shown.length} instance${shown.length === 1 ? '' : 's'}${ref.length ? `, and the claimed slope ${fmt(slope)}` : ''}`,
            plot: {
              kind: 'trendBand',
              title: `${c.name} · ${r.regime.name}`,
              subtitle: `claim: ${t.claimText}; ${t.test === 't' ? 't test' : 'sign test'} at α = ${t.alpha}${with_.length > shown.length ? `; ${shown.length} of ${with_.length} instances shown` : ''}`,
              x: { title: t.x.name, scale: t.x.scale },
              y: { title: t.y.name, scale: t.y.scale },
              series,
              band: series.some((s) => s.points.some((p) => p.lo !== undefined)) ? '95% interval of the mean over seeds (Wilson for 0/1 outcomes)' : undefined,
              ...(ref.length ? { reference: [{ label: `claimed slope ${fmt(slope)} (midpoint of the claim)`, points: ref }] } : {}),
            },
          },
        ];
      }),
  );

/**
 * The curve of the instance targeted search reached, for every bound it pushed above the random
 * draw's worst: placed beside the random worst curve, so the two worst instances read side by side.
 */
export const targetedCurveFigures: FigureSource = (rs) =>
  rs.flatMap((r) =>
    (r.search?.conclusions ?? []).flatMap((sc) => {
      const c = boundConclusions(r).find((x) => x.name === sc.conclusion);
      const inst = sc.targeted.instance;
      const curve = inst?.curves.find((cv) => cv.conclusion === sc.conclusion);
      if (!c || !inst || !curve || !sc.targeted.improved) return [];
      return [
        {
          id: figureId('targeted', c.name, r.regime.name),
          section: 'tightness',
          regime: r.regime.name,
          conclusion: c.name,
          alt: `${c.name}: measured ${c.measured} and its bound over the steps of the worst instance targeted search reached in regime ${r.regime.name} (tightness ${fmtRatio(sc.targeted.tightness)}, against ${fmtRatio(sc.random.tightness)} for the random draw), log scale`,
          plot: {
            kind: 'lineVsBound',
            title: `${c.name} · ${r.regime.name}: worst instance of targeted search, tightness ${fmtRatio(sc.targeted.tightness)}`,
            subtitle: `random draw's worst ${fmtRatio(sc.random.tightness)}; ascent from instance ${inst.start}, ${inst.accepted} accepted steps, ${sc.targeted.evaluations} evaluations`,
            x: { title: 'step k' },
            y: { title: c.measured ?? 'measured', scale: 'log' },
            ...curveLines(c, curve),
            floor: { value: curve.floor, label: 'float noise floor' },
          },
        } satisfies Figure,
      ];
    }),
  );

/** An identity's two sides over the run (e.g. L(0) − L(t) against ∫‖∇L‖²), for its worst instance. */
export const identitySidesFigures: FigureSource = (rs) =>
  rs.flatMap((r) => {
    if (r.regime.name.startsWith('broken:')) return [];
    return r.theorem.conclusions
      .filter((c) => c.kind === 'identity')
      .flatMap((c) => {
        const curve = r.worstCurves.find((cv) => cv.conclusion === c.name);
        if (!curve) return [];
        return [
          {
            id: figureId('sides', c.name, r.regime.name),
            section: 'tightness',
            regime: r.regime.name,
            conclusion: c.name,
            alt: `${c.name}: the identity's two sides over the run of the worst instance of regime ${r.regime.name} (instance ${curve.index}), log scale`,
            plot: {
              kind: 'lineVsBound',
              title: `${c.name} · ${r.regime.name}: both sides, worst instance (${curve.index})`,
              x: { title: 'step k' },
              y: { title: 'value', scale: 'log' },
              lines: [
                { label: c.sides?.measured ?? 'one side', role: 'measured', x: curve.k, y: curve.measured },
                { label: c.sides?.against ?? 'the other side', role: 'bound', x: curve.k, y: curve.bound },
              ],
            },
          } satisfies Figure,
        ];
      });
  });

/** Every source, in page order. Add a source here to give a new result field its plots. */
/**
 * Per comparison and regime: both methods' curves on one plot (mean over the paired seeds with a
 * 95% band), for the first instance that stored curves.
 */
export const comparisonFigures: FigureSource = (rs) =>
  rs.flatMap((r) =>
    r.theorem.conclusions
      .filter((c) => c.kind === 'comparison' && c.comparison?.curves)
      .flatMap((c): Figure[] => {
        const k = c.comparison!;
        const axes = k.curves!;
        const inst = r.instances.find((i) => (i.confirmation?.conclusions ?? i.conclusions).some((o) => o.name === c.name && (o.comparison?.curves || o.comparison?.bands)));
        if (!inst) return [];
        const o = (inst.confirmation?.conclusions ?? inst.conclusions).find((x) => x.name === c.name)!;
        // A results file keeps of the plotted instance its bands (the curves' mean and band per x); an older one, the curves.
        const cv = o.comparison!.curves;
        const over = (curves: readonly (readonly number[])[]) => trendPoints(curves.map((y) => ({ x: cv!.x, y })), axes.y.scale);
        const bands = o.comparison!.bands ?? { seeds: cv!.a.length, a: over(cv!.a), b: over(cv!.b) };
        const series = [
          { label: `A: ${k.a.name}`, points: bands.a },
          { label: `B: ${k.b.name}`, points: bands.b },
        ];
        return [
          {
            id: figureId('comparison', c.name, r.regime.name),
            section: 'comparisons',
            regime: r.regime.name,
            conclusion: c.name,
            alt: `${c.name} in regime ${r.regime.name}: ${axes.y.name} against ${axes.x.name} for ${k.a.name} and ${k.b.name}, mean over ${bands.seeds} paired seeds with a 95% band, instance ${inst.path} (${o.verdict})`,
            plot: {
              kind: 'trendBand',
              title: `${c.name} · ${r.regime.name}`,
              subtitle: `instance ${inst.path}, ${bands.seeds} paired seeds: ${o.verdict}; claim: ${k.claimText}`,
              x: { title: axes.x.name, scale: axes.x.scale },
              y: { title: axes.y.name, scale: axes.y.scale },
              series,
              band: series.some((s) => s.points.some((p) => p.lo !== undefined)) ? '95% interval of the mean over the paired seeds' : undefined,
            },
          },
        ];
      }),
  );

export const FIGURE_SOURCES: readonly FigureSource[] = [tightnessFigures, worstCurveFigures, targetedCurveFigures, identitySidesFigures, counterexampleFigures, slackFigures, trendFigures, comparisonFigures];

export class FigureIdError extends Error {}

/** The figures of one theorem's results; ids must be unique (they are file names). */
export function figuresFor(rs: readonly Result[], sources: readonly FigureSource[] = FIGURE_SOURCES): Figure[] {
  const figures = sources.flatMap((s) => s(rs));
  const seen = new Set<string>();
  for (const f of figures) {
    if (seen.has(f.id)) throw new FigureIdError(`two figures of ${rs[0]?.theorem.id} have the id '${f.id}'`);
    seen.add(f.id);
  }
  return figures;
}
