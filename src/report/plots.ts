/**
 * Plots as SVG, rendered without a browser: vega-lite compiles a small typed plot description to a
 * vega spec, and vega's SVG string renderer (`renderer: 'none'`, no canvas) draws it. Data are
 * always inline, so nothing is fetched.
 *
 * Four kinds cover what the reports show; each is plain data, so any result field can feed one in
 * a few lines:
 *   lineVsBound   measured series against their bounds over steps (log y), a noise floor, markers
 *   distribution  values per group as a strip of ticks (e.g. tightness over instances per regime)
 *   trendBand     a statistic against a swept parameter, with its confidence band
 *   slackCurve    the fraction of seeds where a conclusion held against a hypothesis value, with
 *                 the theorem's requirement marked
 *
 * Honesty: a value a log axis cannot show (≤ 0, ±∞, NaN) is never moved or clamped; it is left out
 * and counted in the plot's subtitle. Determinism: vega numbers its clip paths and gradients with
 * process-wide counters, so they are reset before every render, and renders are serialised; the
 * same plot gives the same bytes whatever was rendered before it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { fmt } from '../check/format.ts';
import { compactSvg } from './svg-compact.ts';

/** vega and vega-lite take about a second to load: only commands that draw pay for it. */
let libraries: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;
const load = () => (libraries ??= Promise.all([import('vega'), import('vega-lite')]));

export type ScaleType = 'linear' | 'log';

export interface Axis {
  readonly title: string;
  /** Default: `log` for the y axis of lineVsBound, `linear` elsewhere. */
  readonly scale?: ScaleType;
}

/** A horizontal or vertical reference line with a label. */
export interface Rule {
  readonly value: number;
  readonly label: string;
}

export interface Line {
  readonly label: string;
  /** `measured` solid, `bound` dashed, `reference` dotted. */
  readonly role: 'measured' | 'bound' | 'reference';
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface LineVsBound {
  readonly kind: 'lineVsBound';
  readonly title: string;
  readonly subtitle?: string;
  readonly x: Axis;
  readonly y: Axis;
  readonly lines: readonly Line[];
  /** The float noise floor of the measured quantity: a dashed grey horizontal rule. */
  readonly floor?: Rule;
  /** Vertical rules, e.g. the worst step or the first violation. */
  readonly markers?: readonly Rule[];
}

export interface Distribution {
  readonly kind: 'distribution';
  readonly title: string;
  readonly subtitle?: string;
  readonly axis: Axis;
  /** One row per group; rows get their own axis when their ranges differ by orders of magnitude. */
  readonly groups: readonly { readonly label: string; readonly values: readonly number[] }[];
  /** Vertical rules drawn in every row, e.g. tightness 1 (the bound attained). */
  readonly reference?: readonly Rule[];
  /** Rows share one axis (default) or each gets its own (`independent`). */
  readonly axes?: 'shared' | 'independent';
}

export interface TrendPoint {
  readonly x: number;
  readonly y: number;
  /** The confidence band at x; omit both where there is none. */
  readonly lo?: number;
  readonly hi?: number;
}

export interface TrendBand {
  readonly kind: 'trendBand';
  readonly title: string;
  readonly subtitle?: string;
  readonly x: Axis;
  readonly y: Axis;
  readonly series: readonly { readonly label: string; readonly points: readonly TrendPoint[] }[];
  /** What the band is, for the legend: '95% bootstrap interval over 20 seeds'. */
  readonly band?: string;
  /** Predicted curves, drawn dotted: e.g. the slope the theorem claims. */
  readonly reference?: readonly { readonly label: string; readonly points: readonly { readonly x: number; readonly y: number }[] }[];
}

export interface SlackPoint {
  /** The hypothesis value tried (width, step size, ...). */
  readonly x: number;
  /** Seeds where the conclusion held, of how many. */
  readonly held: number;
  readonly of: number;
}

export interface SlackCurve {
  readonly kind: 'slackCurve';
  readonly title: string;
  readonly subtitle?: string;
  readonly x: Axis;
  readonly series: readonly { readonly label: string; readonly points: readonly SlackPoint[] }[];
  /** The value the theorem requires: a vertical rule. */
  readonly required: Rule;
  /** A fraction to reach, e.g. { value: 1, label: 'every seed' }: a horizontal rule. */
  readonly target?: Rule;
}

export type Plot = LineVsBound | Distribution | TrendBand | SlackCurve;

const WIDTH = 560;
const HEIGHT = 260;
const GREY = '#777';
/** Layers drawing a constant (a rule at a datum) still need one row of data to draw once. */
const ONE = { values: [{}] };
const DASH: Record<Line['role'], number[]> = { measured: [], bound: [6, 4], reference: [2, 3] };
const PALETTE = ['#1f5fa8', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#4b5563'];

/** Can this value be drawn on an axis of this scale? */
export function drawable(v: number, scale: ScaleType): boolean {
  return Number.isFinite(v) && (scale === 'linear' || v > 0);
}

function notDrawn(n: number, scale: ScaleType, what = 'point'): string | undefined {
  if (n === 0) return undefined;
  const why = scale === 'log' ? '≤ 0 or not finite, so not on a log axis' : 'not finite';
  return `${n} ${what}${n === 1 ? '' : 's'} not drawn (${why})`;
}

function subtitle(...parts: (string | undefined)[]): string[] | undefined {
  const lines = parts.filter((p): p is string => !!p);
  return lines.length ? lines : undefined;
}

function title(text: string, ...sub: (string | undefined)[]) {
  const s = subtitle(...sub);
  return { text, anchor: 'start' as const, ...(s ? { subtitle: s } : {}) };
}

/** Log axes label 0.01 … 1000 plainly and the rest as 1e-8, 1e20. */
const LOG_LABEL = "datum.value >= 0.01 && datum.value <= 1000 ? format(datum.value, '~g') : replace(format(datum.value, '.0e'), 'e+', 'e')";

/**
 * Tick values for a log axis over [min, max]: 1-2-5 within each decade over a short range, powers
 * of ten (thinned to about ten labels) over a long one. vega's own choice labels every 1..9 over a
 * few decades, which is unreadable.
 */
export function logTicks(min: number, max: number): number[] | undefined {
  if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) return undefined;
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  if (hi - lo <= 2) return undefined; // vega's choice is fine over two decades or less
  const raw = Math.ceil((hi - lo + 1) / 10);
  const step = [1, 2, 3, 5, 10, 20, 25, 50, 100].find((n) => n >= raw) ?? raw;
  const out: number[] = [];
  // Multiples of the step (1e-30, 1e-20, … rather than 1e-57, 1e-24, …), so labels read as round.
  for (let e = Math.ceil(lo / step) * step; e <= hi; e += step) out.push(Number(`1e${e}`));
  return out;
}

function axisFormat(type: ScaleType, extent?: readonly [number, number]) {
  if (type !== 'log') return {};
  const values = extent ? logTicks(extent[0], extent[1]) : undefined;
  return { labelExpr: LOG_LABEL, ...(values ? { values, gridDash: [] } : {}) };
}

/** [min, max] of the values that will be drawn. */
function extentOf(values: Iterable<number | null | undefined>): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : undefined;
}

function scaleOf(axis: Axis, fallback: ScaleType): ScaleType {
  return axis.scale ?? fallback;
}

function scaleDef(type: ScaleType) {
  return type === 'log' ? { type: 'log' as const } : { type: 'linear' as const, zero: false };
}

/** Legend entries in the order given, with their colours and dashes. */
function legendScale(labels: readonly string[], dashes?: readonly number[][]) {
  return {
    color: { domain: [...labels], range: labels.map((_, i) => PALETTE[i % PALETTE.length]) },
    dash: dashes ? { domain: [...labels], range: dashes.map((d) => [...d]) } : undefined,
  };
}

const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  background: 'white',
  width: WIDTH,
  height: HEIGHT,
  padding: 8,
  config: {
    // Pages embed the SVG as an <img> with alt text, where ARIA inside the SVG is never read; without
    // it a plot of a hundred ticks is half the size.
    aria: false,
    font: 'Helvetica, Arial, sans-serif',
    title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555', subtitlePadding: 4, limit: 0 },
    axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const, grid: true, gridColor: '#eee' },
    legend: { labelFontSize: 11, labelLimit: 360, orient: 'bottom' as const, direction: 'vertical' as const, title: null },
    view: { stroke: '#ccc' },
  },
};

/**
 * A floor many decades below every plotted value would squeeze the curves into a sliver of the
 * plot; past FLOOR_DECADES it is named in the subtitle instead of drawn.
 */
const FLOOR_DECADES = 6;

function lowest(values: readonly { y: number | null }[]): number {
  let min = Infinity;
  for (const v of values) if (v.y !== null && v.y < min) min = v.y;
  return min;
}

function floorNearData(floor: number, values: readonly { y: number | null }[], ys: ScaleType): boolean {
  const min = lowest(values);
  if (ys !== 'log' || !Number.isFinite(min)) return true;
  return Math.log10(min / floor) <= FLOOR_DECADES;
}

function floorWhy(floor: number, values: readonly { y: number | null }[], ys: ScaleType): string {
  if (!drawable(floor, ys)) return ys === 'log' ? '≤ 0 on a log axis' : 'not finite';
  return `${Math.floor(Math.log10(lowest(values) / floor))} decades below the lowest value shown`;
}

/**
 * A line of many more points than the plot has pixel columns, thinned to what the plot can show:
 * within each pixel column (of the plot's width, over the x extent) it keeps the first and last
 * point and the lowest and highest, in their order, so every spike and the envelope stay and the
 * line still joins column to column as before. Points that break the line (y null) are all kept.
 * A line of at most 4 points per column is left as it is.
 */
export function decimate<P extends { x: number | null; y: number | null }>(points: readonly P[], extent: readonly [number, number], scale: ScaleType, width = WIDTH): P[] {
  if (points.length <= 4 * width) return [...points];
  const t = (v: number) => (scale === 'log' ? Math.log(v) : v);
  const [lo, hi] = [t(extent[0]), t(extent[1])];
  const column = (x: number) => (hi > lo ? Math.min(width - 1, Math.floor(((t(x) - lo) / (hi - lo)) * width)) : 0);
  const out: P[] = [];
  let run: P[] = [];
  let runColumn = NaN;
  const flush = () => {
    if (run.length <= 4) out.push(...run);
    else {
      let min = 0;
      let max = 0;
      run.forEach((q, i) => {
        if (q.y! < run[min].y!) min = i;
        if (q.y! > run[max].y!) max = i;
      });
      for (const i of [...new Set([0, min, max, run.length - 1])].sort((a, b) => a - b)) out.push(run[i]);
    }
    run = [];
  };
  for (const q of points) {
    if (q.x === null || q.y === null) {
      flush();
      out.push(q);
      runColumn = NaN;
      continue;
    }
    const c = column(q.x);
    if (c !== runColumn) flush();
    runColumn = c;
    run.push(q);
  }
  flush();
  return out;
}

function lineVsBoundSpec(p: LineVsBound): TopLevelSpec {
  const xs = scaleOf(p.x, 'linear');
  const ys = scaleOf(p.y, 'log');
  let dropped = 0;
  const xExtent = extentOf(p.lines.flatMap((l) => l.x.filter((x) => drawable(x, xs))));
  const values = p.lines.flatMap((line) => {
    const points = line.x.map((x, i) => {
      const y = line.y[i];
      const ok = drawable(y, ys) && drawable(x, xs);
      if (!ok) dropped++;
      // null breaks the line there rather than joining across the gap.
      return { x: drawable(x, xs) ? x : null, y: ok ? y : null, label: line.label };
    });
    return xExtent ? decimate(points, xExtent, xs) : points;
  });
  const labels = p.lines.map((l) => l.label);
  const legend = legendScale(labels, p.lines.map((l) => DASH[l.role]));
  const floorOk = p.floor !== undefined && drawable(p.floor.value, ys) && floorNearData(p.floor.value, values, ys);
  const yExtent = extentOf([...values.map((v) => v.y), floorOk ? p.floor!.value : null]);
  const layers: unknown[] = [
    {
      data: { values },
      mark: { type: 'line', strokeWidth: 2, invalid: 'break-paths-filter-domains', clip: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: p.x.title, scale: scaleDef(xs), axis: axisFormat(xs, extentOf(values.map((v) => v.x))) },
        y: { field: 'y', type: 'quantitative', title: p.y.title, scale: scaleDef(ys), axis: axisFormat(ys, yExtent) },
        color: { field: 'label', type: 'nominal', scale: legend.color },
        strokeDash: { field: 'label', type: 'nominal', scale: legend.dash },
      },
    },
  ];
  if (p.floor && floorOk)
    layers.push(
      { data: ONE, mark: { type: 'rule', color: GREY, strokeDash: [2, 2] }, encoding: { y: { datum: p.floor.value, type: 'quantitative' } } },
      { data: ONE, mark: { type: 'text', color: GREY, align: 'right', baseline: 'bottom', dy: -2, fontSize: 10 }, encoding: { x: { value: WIDTH - 4 }, y: { datum: p.floor.value, type: 'quantitative' }, text: { value: p.floor.label } } },
    );
  for (const m of p.markers ?? [])
    if (drawable(m.value, xs))
      layers.push(
        { data: ONE, mark: { type: 'rule', color: GREY, strokeDash: [1, 3] }, encoding: { x: { datum: m.value, type: 'quantitative' } } },
        { data: ONE, mark: { type: 'text', color: GREY, align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 10 }, encoding: { x: { datum: m.value, type: 'quantitative' }, text: { value: m.label } } },
      );
  const floorNote = p.floor && !floorOk ? `${p.floor.label} ${fmt(p.floor.value)}: ${floorWhy(p.floor.value, values, ys)}, not drawn` : undefined;
  return { ...BASE, title: title(p.title, p.subtitle, notDrawn(dropped, ys), floorNote), layer: layers } as TopLevelSpec;
}

function median(values: readonly number[]): number {
  const xs = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : xs[mid - 1] === xs[mid] ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

function distributionSpec(p: Distribution): TopLevelSpec {
  const s = scaleOf(p.axis, 'linear');
  // One table for every layer (a faceted chart has one data source); `kind` says which layer draws a row.
  const rows: { group: string; kind: 'value' | 'median' | 'ref'; v: number; text?: string }[] = [];
  const empty: string[] = [];
  const labels = p.groups.map((g) => {
    const bad = g.values.filter((v) => !drawable(v, s));
    const infinite = bad.filter((v) => v === Infinity || v === -Infinity).length;
    const parts = [`${g.values.length} value${g.values.length === 1 ? '' : 's'}`];
    const med = median(g.values);
    parts.push(`median ${fmt(med)}`);
    if (infinite) parts.push(`${infinite} at ±∞ not drawn`);
    if (bad.length - infinite) parts.push(`${bad.length - infinite} ${s === 'log' ? '≤ 0 or NaN' : 'NaN'} not drawn`);
    const label = `${g.label} (${parts.join('; ')})`;
    // A row with nothing to draw gets no panel (its label above says why), which also keeps vega
    // from computing the extent of an empty panel.
    if (bad.length === g.values.length) {
      empty.push(label);
      return null;
    }
    for (const v of g.values) if (drawable(v, s)) rows.push({ group: label, kind: 'value', v });
    if (drawable(med, s)) rows.push({ group: label, kind: 'median', v: med });
    for (const r of p.reference ?? []) if (drawable(r.value, s)) rows.push({ group: label, kind: 'ref', v: r.value, text: r.label });
    return label;
  });
  const rowHeight = 44;
  const shared = p.axes !== 'independent';
  const x = { field: 'v', type: 'quantitative', title: p.axis.title, scale: scaleDef(s), axis: axisFormat(s, shared ? extentOf(rows.map((r) => r.v)) : undefined) };
  const only = (kinds: string) => [{ filter: `indexof(${JSON.stringify(kinds)}, datum.kind) >= 0` }];
  const layer: unknown[] = [
    // The values, then the median over them as the long dark tick. Each is its own layer, so that a
    // layer's ticks share one style (the SVG states it once); the values have no stroke, so their
    // fill opacity is their opacity (vega-lite's ticks default to opacity 0.7: both set it).
    { transform: only('value'), mark: { type: 'tick', thickness: 1.5, color: PALETTE[0], opacity: 1, fillOpacity: 0.55, size: rowHeight - 16, strokeWidth: 0 }, encoding: { x } },
    { transform: only('median'), mark: { type: 'tick', thickness: 1.5, color: '#111', opacity: 1, size: rowHeight - 2, stroke: '#111', strokeWidth: 2 }, encoding: { x } },
  ];
  if ((p.reference ?? []).some((r) => drawable(r.value, s)))
    layer.push(
      { transform: only('ref'), mark: { type: 'rule', color: PALETTE[1], strokeDash: [4, 3] }, encoding: { x } },
      { transform: only('ref'), mark: { type: 'text', color: PALETTE[1], align: 'left', baseline: 'top', dx: 3, y: 1, fontSize: 10 }, encoding: { x, text: { field: 'text' } } },
    );
  const drawn = labels.filter((l): l is string => l !== null);
  return {
    ...BASE,
    width: undefined,
    height: undefined,
    title: title(p.title, p.subtitle, 'thin ticks: one per value; long dark tick: the median', ...empty.map((l) => `${l}: nothing to draw`)),
    data: { values: rows },
    facet: { row: { field: 'group', type: 'nominal', sort: drawn, header: { title: null, labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top', labelFontSize: 11, labelLimit: 0 } } },
    spec: { width: WIDTH, height: rowHeight, layer },
    resolve: { scale: { x: shared ? 'shared' : 'independent' }, axis: { x: 'independent' } },
    spacing: 12,
  } as TopLevelSpec;
}

function trendBandSpec(p: TrendBand): TopLevelSpec {
  const xs = scaleOf(p.x, 'linear');
  const ys = scaleOf(p.y, 'linear');
  let dropped = 0;
  const rows = p.series.flatMap((s) =>
    s.points.flatMap((pt) => {
      if (!drawable(pt.x, xs) || !drawable(pt.y, ys)) {
        dropped++;
        return [];
      }
      const band = pt.lo !== undefined && pt.hi !== undefined && drawable(pt.lo, ys) && drawable(pt.hi, ys);
      return [{ x: pt.x, y: pt.y, lo: band ? pt.lo : null, hi: band ? pt.hi : null, label: s.label }];
    }),
  );
  const refRows = (p.reference ?? []).flatMap((r) => r.points.filter((pt) => drawable(pt.x, xs) && drawable(pt.y, ys)).map((pt) => ({ x: pt.x, y: pt.y, label: r.label })));
  const labels = [...p.series.map((s) => s.label), ...(p.reference ?? []).map((r) => r.label)];
  const legend = legendScale(labels, [...p.series.map(() => DASH.measured), ...(p.reference ?? []).map(() => DASH.reference)]);
  const all = [...rows, ...refRows];
  const x = { field: 'x', type: 'quantitative', title: p.x.title, scale: scaleDef(xs), axis: axisFormat(xs, extentOf(all.map((r) => r.x))) };
  const y = { field: 'y', type: 'quantitative', title: p.y.title, scale: scaleDef(ys), axis: axisFormat(ys, extentOf([...all.map((r) => r.y), ...rows.flatMap((r) => [r.lo, r.hi])])) };
  const color = { field: 'label', type: 'nominal', scale: legend.color };
  const layer: unknown[] = [
    { data: { values: rows }, mark: { type: 'area', opacity: 0.18, invalid: 'break-paths-filter-domains' }, encoding: { x, y: { field: 'lo', type: 'quantitative', scale: scaleDef(ys) }, y2: { field: 'hi' }, color } },
    { data: { values: rows }, mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 36 } }, encoding: { x, y, color, strokeDash: { field: 'label', type: 'nominal', scale: legend.dash } } },
  ];
  if (refRows.length) layer.push({ data: { values: refRows }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color, strokeDash: { field: 'label', type: 'nominal', scale: legend.dash } } });
  return { ...BASE, title: title(p.title, p.subtitle, p.band ? `shaded: ${p.band}` : undefined, notDrawn(dropped, xs === 'log' || ys === 'log' ? 'log' : 'linear')), layer } as TopLevelSpec;
}

/**
 * Wilson score interval for a binomial proportion (95%): unlike the normal approximation it stays
 * inside [0, 1] and is sensible at 0/n and n/n, which is where slack curves live.
 */
export function wilson(held: number, of: number, z = 1.959963984540054): { lo: number; hi: number } {
  if (of <= 0) return { lo: 0, hi: 1 };
  const p = held / of;
  const z2 = z * z;
  const centre = (p + z2 / (2 * of)) / (1 + z2 / of);
  const half = (z / (1 + z2 / of)) * Math.sqrt((p * (1 - p)) / of + z2 / (4 * of * of));
  // At 0/n and n/n the interval touches 0 or 1 exactly; rounding would leave 1 − 1e-16.
  return { lo: held <= 0 ? 0 : Math.max(0, centre - half), hi: held >= of ? 1 : Math.min(1, centre + half) };
}

function slackCurveSpec(p: SlackCurve): TopLevelSpec {
  const xs = scaleOf(p.x, 'log');
  let dropped = 0;
  const rows = p.series.flatMap((s) =>
    s.points.flatMap((pt) => {
      if (!drawable(pt.x, xs) || !(pt.of > 0)) {
        dropped++;
        return [];
      }
      const ci = wilson(pt.held, pt.of);
      return [{ x: pt.x, frac: pt.held / pt.of, lo: ci.lo, hi: ci.hi, n: `${pt.held}/${pt.of}`, label: s.label }];
    }),
  );
  const labels = p.series.map((s) => s.label);
  const legend = legendScale(labels);
  const requiredOk = drawable(p.required.value, xs);
  const x = { field: 'x', type: 'quantitative', title: p.x.title, scale: scaleDef(xs), axis: axisFormat(xs, extentOf([...rows.map((r) => r.x), requiredOk ? p.required.value : null])) };
  const y = { field: 'frac', type: 'quantitative', title: 'fraction of seeds that held', scale: { domain: [0, 1] } };
  const color = { field: 'label', type: 'nominal', scale: legend.color };
  const layer: unknown[] = [
    { data: { values: rows }, mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative', scale: { domain: [0, 1] } }, y2: { field: 'hi' }, color } },
    { data: { values: rows }, mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 40 } }, encoding: { x, y, color } },
  ];
  if (requiredOk)
    layer.push(
      { data: ONE, mark: { type: 'rule', color: '#b91c1c', strokeWidth: 1.5, strokeDash: [6, 3] }, encoding: { x: { datum: p.required.value, type: 'quantitative' } } },
      { data: ONE, mark: { type: 'text', color: '#b91c1c', align: 'right', baseline: 'top', dx: -3, y: 4, fontSize: 11 }, encoding: { x: { datum: p.required.value, type: 'quantitative' }, text: { value: p.required.label } } },
    );
  if (p.target)
    layer.push({ data: ONE, mark: { type: 'rule', color: GREY, strokeDash: [2, 2] }, encoding: { y: { datum: p.target.value, type: 'quantitative' } } });
  const requiredNote = requiredOk ? undefined : `${p.required.label}: ${fmt(p.required.value)} (cannot be drawn on this axis)`;
  return {
    ...BASE,
    title: title(p.title, p.subtitle, 'bars: 95% Wilson interval of the fraction', p.target ? `dotted: ${p.target.label}` : undefined, requiredNote, notDrawn(dropped, xs)),
    layer,
  } as TopLevelSpec;
}

/** The vega-lite spec of a plot: a pure function of the plot, useful to inspect and test. */
export function toVegaLite(p: Plot): TopLevelSpec {
  switch (p.kind) {
    case 'lineVsBound':
      return lineVsBoundSpec(p);
    case 'distribution':
      return distributionSpec(p);
    case 'trendBand':
      return trendBandSpec(p);
    case 'slackCurve':
      return slackCurveSpec(p);
  }
}

/** Bump when renderNow changes what it does with vega's output. */
const RENDERER = 'provably-svg/3';

let versions: string | undefined;
function libraryVersions(): string {
  if (versions === undefined) {
    const require = createRequire(import.meta.url);
    const version = (pkg: string) => (JSON.parse(readFileSync(join(dirname(require.resolve(pkg)), '..', 'package.json'), 'utf8')) as { version: string }).version;
    versions = `vega@${version('vega')} vega-lite@${version('vega-lite')}`;
  }
  return versions;
}

/**
 * What the SVG of a plot is a function of: the vega-lite spec, the library versions and this
 * renderer. Every SVG ends with it, so a report rebuilt from unchanged results reuses its plots
 * without loading vega (the bytes are the same as a fresh render's).
 */
export function plotKey(p: Plot): string {
  return createHash('sha256').update(`${RENDERER} ${libraryVersions()}\n${JSON.stringify(toVegaLite(p))}`).digest('hex');
}

function keyLine(key: string): string {
  return `<!-- provably plot ${key} -->\n`;
}

/** The SVG already on disk, if it was rendered from this very plot. */
export function reusable(existing: string | null, p: Plot): string | null {
  return existing !== null && existing.endsWith(keyLine(plotKey(p))) ? existing : null;
}

export class PlotError extends Error {}

export interface Rendered {
  readonly svg: string;
  /** What vega-lite and vega warned about while compiling and rendering (empty for a clean plot). */
  readonly warnings: readonly string[];
}

let queue: Promise<unknown> = Promise.resolve();

/** Render a plot to an SVG string. Renders run one at a time (vega's id counters are global). */
export function renderPlot(p: Plot): Promise<Rendered> {
  const job = queue.then(() => renderNow(p));
  queue = job.catch(() => undefined);
  return job;
}

async function renderNow(p: Plot): Promise<Rendered> {
  const warnings: string[] = [];
  const say = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  const logger = {
    level: () => logger,
    error: (...a: unknown[]) => {
      throw new PlotError(`${p.title}: ${a.map(String).join(' ')}`);
    },
    warn: (...a: unknown[]) => (say(...a), logger),
    info: () => logger,
    debug: () => logger,
  };
  const [vega, vl] = await load();
  const compiled = vl.compile(toVegaLite(p), { logger: logger as never }).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: logger as never, logLevel: vega.Warn });
  try {
    const svg = await view.toSVG();
    const small = compactSvg(svg);
    return { svg: (small.endsWith('\n') ? small : small + '\n') + keyLine(plotKey(p)), warnings };
  } finally {
    view.finalize();
  }
}
