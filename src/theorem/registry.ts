/**
 * Theorem discovery: every `.ts` file under a theorems directory whose default export is a
 * theorem. Adding a theorem is adding a file; a malformed one fails with its file and field named.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TheoremSpecError, type AnyTheorem } from './define.ts';

export const DEFAULT_THEOREMS_DIR = fileURLToPath(new URL('../../theorems', import.meta.url));

export class RegistryError extends Error {}

export interface LoadedTheorem {
  readonly theorem: AnyTheorem;
  readonly file: string;
}

function theoremFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.') || name.startsWith('_') || name === 'node_modules') continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function isTheorem(v: unknown): v is AnyTheorem {
  return typeof v === 'object' && v !== null && 'spec' in v && 'bounds' in v && 'id' in v;
}

export interface LoadOptions {
  /**
   * Called with each theorem file that fails to load (its error names the file), which is then
   * skipped; without it the first such file is an error. `list` and `check` of other theorems go
   * on past a broken file; `npm test` stays strict.
   */
  readonly onBrokenFile?: (error: Error) => void;
}

export async function loadTheorems(dir: string = DEFAULT_THEOREMS_DIR, opts: LoadOptions = {}): Promise<LoadedTheorem[]> {
  let files: string[];
  try {
    files = theoremFiles(dir);
  } catch (e) {
    throw new RegistryError(`cannot read the theorems directory ${dir}: ${(e as Error).message}`);
  }
  const loaded: LoadedTheorem[] = [];
  const byId = new Map<string, string>();
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    try {
      const theorem = await loadOne(dir, file, shown, byId);
      byId.set(theorem.id, shown);
      loaded.push({ theorem, file: shown });
    } catch (e) {
      if (!opts.onBrokenFile || !(e instanceof TheoremSpecError || e instanceof RegistryError)) throw e;
      opts.onBrokenFile(e);
    }
  }
  return loaded.sort((a, b) => (a.theorem.id < b.theorem.id ? -1 : a.theorem.id > b.theorem.id ? 1 : 0));
}

async function loadOne(dir: string, file: string, shown: string, byId: ReadonlyMap<string, string>): Promise<AnyTheorem> {
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    if (e instanceof TheoremSpecError) throw e.inFile(shown);
    throw new RegistryError(`${shown}: failed to load: ${(e as Error).message}`);
  }
  if (!isTheorem(mod.default)) throw new RegistryError(`${shown}: the default export is not a theorem (write \`export default defineTheorem({ ... })\`)`);
  const theorem = mod.default;
  const rel = relative(dir, file).split(sep);
  if (rel.length < 2) throw new TheoremSpecError('id', `theorem files live in a family folder, theorems/<family>/<file>.ts`, shown);
  if (rel[0] !== theorem.family) throw new TheoremSpecError('id', `'${theorem.id}' names the family '${theorem.family}', but the file is in the folder '${rel[0]}'`, shown);
  const other = byId.get(theorem.id);
  if (other) throw new TheoremSpecError('id', `'${theorem.id}' is also the id of ${other}`, shown);
  return theorem;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** Ids close to a mistyped one: by edit distance, or sharing a word with it. */
export function nearMatches(query: string, ids: readonly string[], max = 3): string[] {
  const q = query.toLowerCase();
  const words = q.split(/[^a-z0-9]+/).filter((w) => w.length >= 3);
  return ids
    .map((id) => {
      const claim = id.split('/').slice(1).join('/');
      const d = Math.min(editDistance(q, id), editDistance(q, claim));
      const shared = words.filter((w) => id.includes(w)).length;
      return { id, score: d - 4 * shared };
    })
    .filter(({ id, score }) => score <= Math.max(3, Math.floor(id.length / 3)))
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1))
    .slice(0, max)
    .map(({ id }) => id);
}

/** The theorems named by ids, globs ('overparam/*') or family names; all of them for none. */
export function selectTheorems<T extends { theorem: AnyTheorem }>(all: readonly T[], patterns: readonly string[]): T[] {
  if (patterns.length === 0) return [...all];
  const ids = all.map((t) => t.theorem.id);
  const families = [...new Set(ids.map((id) => id.split('/')[0]))];
  const chosen = new Set<string>();
  for (const p of patterns) {
    const re = p.includes('/') ? globToRegExp(p) : /[*?]/.test(p) ? globToRegExp(p) : null;
    // A glob without '/' ('*', 'over*') matches families, as a bare family name does.
    const hits = re ? ids.filter((id) => re.test(id) || (!p.includes('/') && re.test(id.split('/')[0]))) : ids.filter((id) => id === p || id.split('/')[0] === p);
    if (hits.length === 0) {
      const [fam, ...rest] = p.split('/');
      // A mistyped family ('clasic', 'overparm/*') is offered the family, with the rest of the pattern.
      const nearFamilies = families.filter((f) => f !== fam && editDistance(fam.toLowerCase(), f) <= Math.max(2, Math.floor(f.length / 4))).map((f) => [f, ...rest].join('/'));
      const near = [...new Set([...nearFamilies, ...nearMatches(p, ids)])].slice(0, 3);
      const hint = near.length ? `Did you mean: ${near.join(', ')}?` : ids.length <= 10 ? `The theorems are: ${ids.join(', ')}.` : `\`provably list\` shows all ${ids.length}.`;
      throw new RegistryError(`no theorem matches '${p}'. ${hint}`);
    }
    hits.forEach((h) => chosen.add(h));
  }
  return all.filter((t) => chosen.has(t.theorem.id));
}
