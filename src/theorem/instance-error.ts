/** A user's instance file is malformed: `field` names where (e.g. 'X[3]'). */
export class InstanceError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`field '${field}': ${problem}`);
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'number' && !Number.isFinite(v)) return `number ${v}`; // JSON.stringify would say null (1e999 parses as Infinity)
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** Field readers for `userInstance.parse`: each throws an InstanceError naming the field. */
export const read = {
  object(v: unknown, field = '(top level)'): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InstanceError(field, `expected a JSON object, got ${describe(v)}`);
    return v as Record<string, unknown>;
  },
  /** Reject fields the format does not have (a misspelled `"M": 64` is not silently ignored). */
  only(o: Record<string, unknown>, fields: readonly string[], field = '(top level)'): void {
    const unknown = Object.keys(o).filter((k) => !fields.includes(k));
    if (unknown.length > 0)
      throw new InstanceError(unknown.length === 1 ? unknown[0] : field, `unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `'${k}'`).join(', ')}; the fields are ${fields.map((k) => `'${k}'`).join(', ')}`);
  },
  number(v: unknown, field: string, check?: { min?: number; max?: number; integer?: boolean }): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InstanceError(field, `expected a finite number, got ${describe(v)}`);
    if (check?.integer && !Number.isInteger(v)) throw new InstanceError(field, `expected an integer, got ${v}`);
    if (check?.min !== undefined && v < check.min) throw new InstanceError(field, `expected at least ${check.min}, got ${v}`);
    if (check?.max !== undefined && v > check.max) throw new InstanceError(field, `expected at most ${check.max}, got ${v}`);
    return v;
  },
  vector(v: unknown, field: string, length?: number): Float64Array {
    if (!Array.isArray(v)) throw new InstanceError(field, `expected an array of numbers, got ${describe(v)}`);
    if (length !== undefined && v.length !== length) throw new InstanceError(field, `expected ${length} numbers, got ${v.length}`);
    if (v.length === 0) throw new InstanceError(field, 'expected at least one number');
    return Float64Array.from(v, (x, i) => read.number(x, `${field}[${i}]`));
  },
  /** Rows of equal length, returned row-major with their shape. */
  matrix(v: unknown, field: string): { rows: number; cols: number; data: Float64Array } {
    if (!Array.isArray(v) || v.length === 0) throw new InstanceError(field, `expected a non-empty array of rows, got ${describe(v)}`);
    const cols = Array.isArray(v[0]) ? v[0].length : -1;
    if (cols < 1) throw new InstanceError(`${field}[0]`, `expected a non-empty array of numbers, got ${describe(v[0])}`);
    const data = new Float64Array(v.length * cols);
    v.forEach((row, i) => data.set(read.vector(row, `${field}[${i}]`, cols), i * cols));
    return { rows: v.length, cols, data };
  },
};
