/**
 * A lossless, schema-free packing of JSON for result files: an array of objects that share their
 * keys (in the same order) is stored column by column, so a record of 400 instances names each
 * field once instead of 400 times. It knows nothing of results, so fields added to a record later
 * are packed too, and `unpack(pack(x))` is `x` with the same key order (tested on every committed
 * result).
 *
 * - `{"$table": {"k1": column, ...}, "$absent": {"k2": [row, ...]}, "$present": {...}, "$n": rows}`:
 *   objects whose keys fit one order; each column holds the values of the rows that have the key
 *   (`$absent` lists the rows that lack it, or `$present` those that have it when they are fewer)
 *   and is packed again.
 * - `{"$ragged": {"lengths": [...], "items": ...}}`: a column of arrays of objects (e.g. each
 *   instance's conclusions), flattened so the objects pack as one table.
 * - `{"$columns": [...], "$rows": [...]}`: objects whose keys fit no one order: a row with exactly
 *   the first object's keys is an array of values, any other row stays an object.
 * A table's column whose values repeat is stored by what it holds, when that is shorter:
 * - `{"$same": value, "$n": rows}`: one value in every row (a regime's one conclusion name);
 * - `{"$dict": [distinct values in order of first use], "$codes": [index, ...]}`: few distinct
 *   values (verdicts, conclusion and hypothesis names, the x of every seed's observations);
 * Any array of at least three integers a, a + d, a + 2d, … (instance indices, steps) is
 * `{"$from": a, "$step": d, "$n": n}`, of such integers as decimal strings (the paths of drawn
 * instances) `{"$fromText": a, ...}`, and of one number repeated `{"$same": x, "$n": n}`.
 * Objects of the data itself never use these keys (packing refuses them).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const MARKS = ['$table', '$absent', '$present', '$n', '$ragged', '$columns', '$rows', '$same', '$dict', '$codes', '$from', '$fromText', '$step'];

function isObject(x: unknown): x is JsonObject {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

const keysOf = (o: JsonObject) => Object.keys(o).join('\u0000');

/** Every key of the objects, each object's keys in their own order (null when no one order fits all). */
function unionKeys(items: readonly JsonObject[]): string[] | null {
  const union: string[] = [];
  for (const o of items) {
    let at = -1; // position in `union` of this object's previous key
    for (const k of Object.keys(o)) {
      const found = union.indexOf(k);
      if (found === -1) union.splice(++at, 0, k);
      else if (found > at) at = found;
      else return null; // this object orders two keys the other way
    }
  }
  return union;
}

function refuseMarks(o: JsonObject): void {
  for (const k of MARKS) if (k in o) throw new Error(`cannot pack an object with the reserved key ${k}`);
}

function packArray(items: readonly Json[]): Json {
  if (items.length < 2 || !items.every(isObject)) return runOf(items) ?? items.map(pack);
  const objects = items as JsonObject[];
  objects.forEach(refuseMarks);
  const columns = unionKeys(objects);
  if (columns && columns.length > 0) {
    const table: JsonObject = {};
    const absent: JsonObject = {};
    const present: JsonObject = {};
    for (const c of columns) {
      const has = objects.flatMap((o, i) => (c in o ? [i] : []));
      if (has.length < objects.length) {
        if (has.length <= objects.length / 2) present[c] = has;
        else absent[c] = objects.flatMap((o, i) => (c in o ? [] : [i]));
      }
      table[c] = packColumn(objects.filter((o) => c in o).map((o) => o[c]));
    }
    return { $table: table, ...(Object.keys(absent).length ? { $absent: absent } : {}), ...(Object.keys(present).length ? { $present: present } : {}), $n: objects.length };
  }
  const first = keysOf(objects[0]);
  const names = Object.keys(objects[0]);
  return { $columns: names, $rows: objects.map((o) => (keysOf(o) === first ? names.map((c) => pack(o[c])) : pack(o))) };
}

/**
 * Integers a, a + d, a + 2d, … (instance indices, steps), the same as decimal strings (paths of
 * drawn instances), or one number repeated: stored as the rule, when there are at least three.
 */
function runOf(items: readonly Json[]): Json | null {
  if (items.length < 3) return null;
  const numbers = items.every((v) => typeof v === 'number');
  const texts = !numbers && items.every((v) => typeof v === 'string' && /^(0|-?[1-9]\d{0,14})$/.test(v));
  if (!numbers && !texts) return null;
  const values = items.map(Number);
  const step = values[1] - values[0];
  if (values.every((v, i) => Number.isSafeInteger(v) && v === values[0] + i * step && !Object.is(v, -0))) return texts ? { $fromText: values[0], $step: step, $n: items.length } : { $from: values[0], $step: step, $n: items.length };
  if (numbers && items.every((v) => Object.is(v, items[0]))) return { $same: items[0], $n: items.length };
  return null;
}

/** A column of a table: arrays of objects flatten into one table; anything else packs as an array, or by what it holds when that is shorter. */
function packColumn(values: Json[]): Json {
  if (values.every(Array.isArray)) {
    const flat = (values as Json[][]).flat();
    if (flat.length >= 2 && flat.every(isObject)) return { $ragged: { lengths: values.map((v) => (v as Json[]).length), items: packArray(flat) } };
  }
  const plain = packArray(values);
  if (values.length < 3 || !Array.isArray(plain)) return plain;
  const keys = values.map((v) => JSON.stringify(v));
  const index = new Map<string, number>();
  const distinct: Json[] = [];
  const codes = keys.map((k, i) => {
    let c = index.get(k);
    if (c === undefined) {
      index.set(k, (c = distinct.length));
      distinct.push(values[i]);
    }
    return c;
  });
  if (distinct.length === 1) return { $same: pack(distinct[0]), $n: values.length };
  if (distinct.length > values.length / 2) return plain;
  const coded = { $dict: packArray(distinct), $codes: codes };
  return JSON.stringify(coded).length < JSON.stringify(plain).length ? coded : plain;
}

export function pack(value: unknown): Json {
  const v = value as Json;
  if (Array.isArray(v)) return packArray(v);
  if (isObject(v)) {
    const out: JsonObject = {};
    refuseMarks(v);
    for (const k of Object.keys(v)) if (v[k] !== undefined) out[k] = pack(v[k]);
    return out;
  }
  return v;
}

function unpackArray(value: Json): Json[] {
  const v = unpack(value);
  if (!Array.isArray(v)) throw new Error('a packed column is not an array');
  return v;
}

export function unpack(value: unknown): Json {
  const v = value as Json;
  if (Array.isArray(v)) return v.map(unpack);
  if (!isObject(v)) return v;
  if ('$table' in v) {
    const table = v.$table as JsonObject;
    const absent = (v.$absent ?? {}) as Record<string, number[]>;
    const present = (v.$present ?? {}) as Record<string, number[]>;
    const columns = Object.keys(table);
    const data = columns.map((c) => unpackArray(table[c]));
    const rowHas = columns.map((c): ((i: number) => boolean) => {
      if (c in present) {
        const rows = new Set(present[c]);
        return (i) => rows.has(i);
      }
      const rows = new Set(absent[c] ?? []);
      return (i) => !rows.has(i);
    });
    const next = columns.map(() => 0);
    return Array.from({ length: v.$n as number }, (_, i) => {
      const o: JsonObject = {};
      columns.forEach((c, j) => {
        if (rowHas[j](i)) o[c] = data[j][next[j]++];
      });
      return o;
    });
  }
  if ('$same' in v) {
    const one = v.$same;
    return Array.from({ length: v.$n as number }, () => unpack(one));
  }
  if ('$dict' in v) {
    const distinct = unpackArray(v.$dict);
    // Each row its own copy of an object value (an object shared between rows would change with either).
    return (v.$codes as number[]).map((c) => (distinct[c] !== null && typeof distinct[c] === 'object' ? structuredClone(distinct[c]) : distinct[c]));
  }
  if ('$from' in v || '$fromText' in v) {
    const [from, step] = [(v.$from ?? v.$fromText) as number, v.$step as number];
    return Array.from({ length: v.$n as number }, (_, i) => ('$fromText' in v ? String(from + i * step) : from + i * step));
  }
  if ('$ragged' in v) {
    const { lengths, items } = v.$ragged as { lengths: number[]; items: Json };
    const flat = unpackArray(items);
    let at = 0;
    return lengths.map((n) => flat.slice(at, (at += n)));
  }
  if ('$columns' in v) {
    const columns = v.$columns as string[];
    return (v.$rows as Json[]).map((row) => (Array.isArray(row) ? Object.fromEntries(columns.map((c, j) => [c, unpack(row[j])])) : unpack(row)));
  }
  const out: JsonObject = {};
  for (const k of Object.keys(v)) out[k] = unpack(v[k]);
  return out;
}
