/** Number and instance formatting shared by verdict reasons, the CLI and reports. */

/** Short human number: 3 significant digits, exponent form outside [1e-3, 1e5). */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 1e6) return String(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(3)));
  return x.toExponential(2).replace('e+', 'e');
}

/**
 * A tightness ratio: like `fmt`, but a ratio near 1 is never rounded to 1 (which would read as
 * "attained" or hide a violation): 0.99966 prints as 1 − 3.4e-4, 1.0000000000027 as 1 + 2.7e-12.
 */
export function fmtRatio(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x) || x === 1) return fmt(x);
  const gap = (d: number) => d.toExponential(1).replace('e+', 'e');
  if (x < 1 && x >= 0.999) return `1 − ${gap(1 - x)}`;
  if (x > 1 && x < 1.001) return `1 + ${gap(x - 1)}`;
  return fmt(x);
}

/**
 * Two numbers that are compared, with as many significant digits as it takes to tell them apart
 * (3 at least, 17 at most): 0.54600012 and 0.546 print as 0.54600012 and 0.546, not both as 0.546.
 */
export function fmtApart(a: number, b: number): [string, string] {
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === b || fmt(a) !== fmt(b)) return [fmt(a), fmt(b)];
  for (let p = 4; p <= 17; p++) {
    const [x, y] = [a, b].map((v) => (Number.isInteger(v) && Math.abs(v) < 1e6 ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String(Number(v.toPrecision(p))) : v.toExponential(p - 1).replace('e+', 'e').replace(/\.?0+e/, 'e')));
    if (x !== y) return [x, y];
  }
  return [String(a), String(b)];
}

/** 'n = 2, d = 1, m = 1' */
export function summaryText(s: Record<string, unknown>): string {
  return Object.entries(s)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? fmt(v) : String(v)}`)
    .join(', ');
}

/**
 * How far a first violation went past what the verdict allowed, bound ± (ε_rel·|bound| + floor):
 * a shrunk counterexample sits at the boundary by construction, and a margin of ×1.3 over a float
 * floor reads differently from ×1e10. Empty for records written before the limit was stored.
 */
export function violationMargin(v: { readonly measured: number; readonly bound: number; readonly floor?: number; readonly limit?: number }): string {
  if (v.limit === undefined) return '';
  const upper = v.measured > v.limit;
  const what = upper ? 'exceeds bound + tolerance + floor' : 'falls below bound − tolerance − floor';
  const floor = v.floor !== undefined && v.floor > 0 ? ` (floor ${fmt(v.floor)}${Math.abs(v.bound) < v.floor ? ', above the bound itself' : ''})` : '';
  const ratio = upper ? v.measured / v.limit : v.limit / v.measured;
  if (v.limit > 0 && v.measured > 0 && Number.isFinite(ratio)) return `${what} by ×${fmtRatio(ratio)}${floor}`;
  const [m, l] = fmtApart(v.measured, v.limit);
  return `${what} (${l}): measured ${m}${floor}`;
}
