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
 * A tightness ratio: like `fmt`, but a ratio just below 1 is never rounded up to 1 (which would
 * read as "attained"): 0.99966 prints as 1 − 3.4e-4.
 */
export function fmtRatio(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return fmt(x);
  if (x < 1 && x >= 0.999) return `1 − ${(1 - x).toExponential(1).replace('e+', 'e')}`;
  return fmt(x);
}

/** 'n = 2, d = 1, m = 1' */
export function summaryText(s: Record<string, unknown>): string {
  return Object.entries(s)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? fmt(v) : String(v)}`)
    .join(', ');
}
