/** The four plot kinds, rendered to SVG without a browser: content, honesty about undrawable values, determinism. */
import { describe, expect, it } from 'vitest';

/** Substring checks on SVGs that print the missing text, not 30 KB of SVG, when they fail. */
function has(svg: string, ...texts: string[]): void {
  for (const t of texts) expect(svg.includes(t), `SVG lacks ${JSON.stringify(t)}`).toBe(true);
}
import { decimate, logTicks, renderPlot, toVegaLite, wilson, type Plot, type Rendered } from '../src/report/plots.ts';
import { compactSvg } from '../src/report/svg-compact.ts';
import { rng } from '../src/numerics/random.ts';

const k = Array.from({ length: 50 }, (_, i) => i * 20);

const lineVsBound: Plot = {
  kind: 'lineVsBound',
  title: 'linear rate · theorem: worst instance',
  x: { title: 'step k' },
  y: { title: 'gap', scale: 'log' },
  lines: [
    { label: 'measured: gap', role: 'measured', x: k, y: k.map((s) => 0.5 * 0.97 ** s) },
    { label: 'bound: (1 - eta*mu)^k * gap0', role: 'bound', x: k, y: k.map((s) => 0.6 * 0.98 ** s) },
  ],
  floor: { value: 1e-10, label: 'float noise floor' },
  markers: [{ value: 20, label: 'worst step 20' }],
};

const distribution: Plot = {
  kind: 'distribution',
  title: 'tightness of every instance',
  axis: { title: 'tightness', scale: 'log' },
  axes: 'independent',
  groups: [
    { label: 'theorem', values: [0.2, 0.5, 0.93, 0.99] },
    { label: 'broken:step-size', values: [3, 1e40, Infinity, Infinity, 0] },
  ],
  reference: [{ value: 1, label: 'bound attained' }],
};

const trendBand: Plot = {
  kind: 'trendBand',
  title: 'distance from init against width',
  x: { title: 'width m', scale: 'log' },
  y: { title: 'max_r ‖w_r(k) − w_r(0)‖', scale: 'log' },
  series: [{ label: 'median over 20 seeds', points: [64, 256, 1024, 4096].map((m) => ({ x: m, y: 3 / Math.sqrt(m), lo: 2 / Math.sqrt(m), hi: 4 / Math.sqrt(m) })) }],
  band: '95% bootstrap interval',
  reference: [{ label: 'slope −1/2 (the claim)', points: [{ x: 64, y: 0.5 }, { x: 4096, y: 0.0625 }] }],
};

const slackCurve: Plot = {
  kind: 'slackCurve',
  title: 'linear rate against width',
  x: { title: 'width m', scale: 'log' },
  series: [{ label: 'linear rate', points: [[4, 1], [16, 5], [64, 9], [256, 10]].map(([m, held]) => ({ x: m, held, of: 10 })) }],
  required: { value: 1.4e16, label: 'theorem requires m ≥ 1.4e16' },
  target: { value: 1, label: 'every seed' },
};

const ALL = { lineVsBound, distribution, trendBand, slackCurve };

/** Each plot rendered once, in this order, and shared by the tests below. */
const rendered = new Map<Plot, Promise<Rendered>>();
const render = (p: Plot) => {
  if (!rendered.has(p)) rendered.set(p, renderPlot(p));
  return rendered.get(p)!;
};

describe('every plot kind renders to SVG, with no warning from vega-lite or vega', () => {
  it.each(Object.entries(ALL))('%s', async (_kind, plot) => {
    const { svg, warnings } = await render(plot);
    expect(warnings).toEqual([]);
    expect(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(svg)).toBe(true);
    has(svg, plot.title);
    expect(svg.length).toBeGreaterThan(3000);
    expect(/\s(d|transform|x|y|x2|y2|width|height)="[^"]*(NaN|Infinity)[^"]*"/.exec(svg)?.[0]).toBeUndefined(); // nothing undrawable leaked into a coordinate
  });
});

describe('what each plot shows', () => {
  it('lineVsBound: both lines in the legend, the floor and the marker drawn, log axis labelled at round values', async () => {
    const { svg } = await render(lineVsBound);
    has(svg, 'measured: gap');
    has(svg, 'bound: (1 - eta*mu)^k * gap0');
    has(svg, 'float noise floor');
    has(svg, 'worst step 20');
    expect(/>1e-10</.test(svg)).toBe(true);
    const lines = svg.match(/<path d="M[\d.,L]{200,}"/g) ?? [];
    expect(lines.length).toBe(2); // two drawn lines of 50 points each
  });

  it('lineVsBound: a floor far below the curves is named, not drawn; values a log axis cannot show are counted', async () => {
    const p: Plot = { ...(lineVsBound as Extract<Plot, { kind: 'lineVsBound' }>), floor: { value: 1e-40, label: 'float noise floor' }, lines: [{ label: 'measured', role: 'measured', x: [0, 1, 2, 3], y: [1, 0, -2, Infinity] }, { label: 'bound', role: 'bound', x: [0, 1, 2, 3], y: [2, 1, 0.5, 0.25] }] };
    const { svg } = await renderPlot(p);
    has(svg, '3 points not drawn (≤ 0 or not finite, so not on a log axis)');
    expect(/float noise floor 1\.00e-40: \d+ decades below the lowest value shown, not drawn/.test(svg)).toBe(true);
  });

  it('distribution: one row per group, with counts, the median and what could not be drawn', async () => {
    const { svg } = await render(distribution);
    has(svg, 'theorem (4 values; median 0.715)', 'broken:step-size (5 values; median 1.00e40; 2 at ±∞ not drawn; 1 ≤ 0 or NaN not drawn)');
    has(svg, 'bound attained');
  });

  it('trendBand: the band, the series and the reference curve', async () => {
    const spec = JSON.stringify(toVegaLite(trendBand));
    expect(spec).toContain('"type":"area"');
    expect(spec).toContain('"y2":{"field":"hi"}');
    const { svg } = await render(trendBand);
    has(svg, 'shaded: 95% bootstrap interval');
    has(svg, 'slope −1/2 (the claim)');
  });

  it('slackCurve: the requirement marked, Wilson intervals, the axis reaching the requirement', async () => {
    const spec = toVegaLite(slackCurve) as { layer: { encoding: { x?: { datum?: number } } }[] };
    expect(spec.layer.some((l) => l.encoding.x?.datum === 1.4e16)).toBe(true);
    const { svg } = await render(slackCurve);
    has(svg, 'theorem requires m ≥ 1.4e16');
    has(svg, '95% Wilson interval');
    expect(/>1e16</.test(svg)).toBe(true);
  });
});

describe('determinism', () => {
  it('the same plot gives the same bytes, whatever was rendered before it in the process', async () => {
    // `render` rendered lineVsBound first in this process; here it comes after three other plots.
    const first = (await render(lineVsBound)).svg;
    await Promise.all([renderPlot(slackCurve), renderPlot(trendBand)]);
    const again = (await renderPlot(lineVsBound)).svg;
    expect(again).toBe(first);
    expect(first).toContain('id="clip1"'); // vega's clip ids are reset per plot
  });
});

describe('helpers', () => {
  it('logTicks: round powers of ten over a long range, nothing over a short one', () => {
    expect(logTicks(3e-8, 0.08)).toEqual([1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1]);
    expect(logTicks(1e-300, 1)).toEqual([1e-300, 1e-250, 1e-200, 1e-150, 1e-100, 1e-50, 1]);
    expect(logTicks(0.5, 5)).toBeUndefined();
    expect(logTicks(0, 5)).toBeUndefined();
  });

  it('wilson: inside [0, 1], sensible at 0/n and n/n, narrower with more seeds', () => {
    const all = wilson(10, 10);
    expect(all.hi).toBe(1);
    expect(all.lo).toBeCloseTo(0.7225, 3);
    expect(wilson(0, 10).lo).toBe(0);
    const half20 = wilson(10, 20);
    const half200 = wilson(100, 200);
    expect(half200.hi - half200.lo).toBeLessThan(half20.hi - half20.lo);
    expect((half20.lo + half20.hi) / 2).toBeCloseTo(0.5, 10);
  });
});

describe('a long line is thinned to the plot\'s pixel columns, keeping every extreme', () => {
  // 10 000 steps of a decaying, noisy residual with 25 isolated spikes (up and down), on a 560-px plot.
  const n = 10_000;
  const r = rng(7, 3);
  const steps = Array.from({ length: n + 1 }, (_, i) => i);
  const base = steps.map((s) => Math.exp(-s / 2000) * (1 + 0.3 * r.uniform()));
  const spikes = Array.from({ length: 25 }, (_, j) => 137 + j * 397);
  const y = base.map((v, i) => (spikes.includes(i) ? (i % 2 ? v * 1e3 : v * 1e-3) : v));
  y[5000] = NaN; // a gap: the line breaks there and the point is counted as not drawn
  const long: Plot = { kind: 'lineVsBound', title: 'long run', x: { title: 'step k' }, y: { title: 'gap', scale: 'log' }, lines: [{ label: 'measured', role: 'measured', x: steps, y }] };
  const drawn = ((toVegaLite(long) as { layer: { data: { values: { x: number | null; y: number | null }[] } }[] }).layer[0].data.values);

  it('at most 4 points per pixel column, the gap kept', () => {
    expect(drawn.length).toBeLessThanOrEqual(4 * 560 + 1);
    expect(drawn.length).toBeGreaterThan(2 * 560);
    expect(drawn.filter((p) => p.y === null).map((p) => p.x)).toEqual([5000]);
  });

  it('every spike, the first and last step, and each column\'s lowest and highest value are drawn', () => {
    const kept = new Map(drawn.filter((p) => p.y !== null).map((p) => [p.x, p.y]));
    for (const i of [...spikes, 0, n]) expect(kept.get(i), `step ${i}`).toBe(y[i]);
    const column = (x: number) => Math.min(559, Math.floor((x / n) * 560));
    const extremes = (pts: { x: number; y: number }[]) => {
      const m = new Map<number, [number, number]>();
      for (const p of pts) {
        const c = column(p.x);
        const [lo, hi] = m.get(c) ?? [Infinity, -Infinity];
        m.set(c, [Math.min(lo, p.y), Math.max(hi, p.y)]);
      }
      return m;
    };
    const all = extremes(steps.flatMap((x) => (Number.isFinite(y[x]) ? [{ x, y: y[x] }] : [])));
    const shown = extremes([...kept].map(([x, v]) => ({ x: x!, y: v! })));
    expect(shown.size).toBe(all.size);
    for (const [c, ext] of all) expect(shown.get(c), `column ${c}`).toEqual(ext);
  });

  it('a line of no more than 4 points per column is left whole, and thinning is deterministic', () => {
    const pts = k.map((x) => ({ x, y: x + 1 }));
    expect(decimate(pts, [0, 980], 'linear')).toEqual(pts);
    expect(JSON.stringify(toVegaLite(long))).toBe(JSON.stringify(toVegaLite(long)));
  });
});

describe('compactSvg: smaller SVG, painted the same', () => {
  it('drops what paints nothing, merges opaque grid lines into one path, keeps dashed and translucent lines', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g fill="none" class="marks" role="graphics-object" aria-hidden="true">' +
      '<path class="background" d="M0,0h0v0h0Z" pointer-events="none"/><path d="" display="none"/><g transform="translate(0,0)"><g></g></g>' +
      '<g><line transform="translate(1,0)" x2="0" y2="5" stroke="#eee" stroke-width="1"/><line transform="translate(2.123456,0)" x2="0" y2="5" stroke="#eee" stroke-width="1"/>' +
      '<line x2="5" stroke="#777" stroke-dasharray="1,3"/><line x2="5" stroke="#777" opacity="0.5"/></g>' +
      '</g><defs><clipPath id="clip1"><rect x="0" y="0" width="5" height="5"/></clipPath></defs></svg>';
    const out = compactSvg(svg);
    expect(out).not.toMatch(/class=|role=|aria-|pointer-events|display="none"|h0v0h0Z|<g><\/g>/);
    expect(out).toContain('d="M1,0v5M2.12,0v5"');
    // The dashed and the translucent line stay lines (their shared stroke moved to the group).
    expect(out).toContain('<g fill="none" stroke="#777"><path d="M1,0v5M2.12,0v5" stroke="#eee"/><line x2="5" stroke-dasharray="1,3"/><line x2="5" opacity="0.5"/></g>');
    expect(out).toContain('<clipPath id="clip1"><rect x="0" y="0" width="5" height="5"/></clipPath>'); // definitions untouched
  });

  it('moves a shared font to the group, and writes out the old value where a child inherited it', () => {
    const t = (x: number, fill = '#000') => `<text transform="translate(${x},0)" font-family="Helvetica" font-size="11px" fill="${fill}">${x}</text>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg"><g fill="none"><g>${t(1)}${t(2)}${t(3)}<path d="M0,0h5" stroke="#888"/></g></g></svg>`;
    const out = compactSvg(svg);
    // The texts' fill #000 moved up (and, being the initial value, went); the path inherited fill none
    // before and is given it, so it still paints no fill.
    expect(out).toBe('<svg xmlns="http://www.w3.org/2000/svg"><g font-family="Helvetica" font-size="11px"><text transform="translate(1,0)">1</text><text transform="translate(2,0)">2</text><text transform="translate(3,0)">3</text><path d="M0,0h5" stroke="#888" fill="none"/></g></svg>');
  });

  it('refuses what it cannot parse rather than dropping it', () => {
    expect(() => compactSvg('<svg><g></svg>')).toThrow(/closes/);
  });
});
