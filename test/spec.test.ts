import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineTheorem, TheoremSpecError } from '../src/theorem/define.ts';
import { loadTheorems, nearMatches, selectTheorems } from '../src/theorem/registry.ts';
import { falseTheorem } from './helpers/toy-theorems.ts';

const good = falseTheorem.spec;

function specError(patch: Record<string, unknown>): TheoremSpecError {
  try {
    defineTheorem({ ...good, ...patch } as typeof good);
  } catch (e) {
    if (e instanceof TheoremSpecError) return e;
    throw e;
  }
  throw new Error('expected a TheoremSpecError');
}

describe('defineTheorem names the field of a malformed theorem', () => {
  it.each([
    [{ id: 'NoFamily' }, 'id', /<family>\/<claim>/],
    [{ provenance: { ...good.provenance, fidelity: 'trust me' } }, 'provenance.fidelity', /read, recalled, derived/],
    [{ provenance: { ...good.provenance, arxiv: '1810.2054x' } }, 'provenance.arxiv', /arXiv id/],
    [{ conclusions: [{ ...good.conclusions[0], bound: '(1 - eta*lamda)^k * gap0' }] }, 'conclusions[0].bound', /'lamda'.*not a declared constant/],
    [{ conclusions: [{ ...good.conclusions[0], bound: '(1 - eta' }] }, 'conclusions[0].bound', /cannot parse/],
    [{ conclusions: [{ ...good.conclusions[0], measured: 'loss' }] }, 'conclusions[0].measured', /not a traced series/],
    [{ conclusions: [] }, 'conclusions', /at least one/],
    [{ regimes: { theorem: good.regimes.theorem } }, 'regimes', /no regime expects 'violated'/],
    [{ regimes: { ...good.regimes, 'brokn:x': good.regimes.theorem } }, "regimes['brokn:x']", /theorem, proxy/],
    [{ engines: { default: 'jax', supported: ['f64'] } }, 'engines.default', /not in engines.supported/],
    [{ run: 'fast' }, 'run', /expected a function/],
    [{ regimes: { ...good.regimes, theorem: { ...good.regimes.theorem, conclusions: ['lineer rate'] } } }, "regimes['theorem'].conclusions", /'lineer rate' is not a conclusion/],
  ])('%# → %s', (patch, field, message) => {
    const e = specError(patch);
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
  });
});

describe('the registry', () => {
  const dir = join(import.meta.dirname, '.tmp-registry');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = readFileSync(join(import.meta.dirname, '..', 'theorems', 'classic', 'gd-quadratic-linear-rate.ts'), 'utf8');

  function theoremsDir(name: string, files: Record<string, string>): string {
    const root = join(dir, name);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    return root;
  }

  it('names the file and the field of a malformed theorem file', async () => {
    const root = theoremsDir('bad-field', { 'classic/typo.ts': source.replace("bound: '(1 - eta*mu)^k * gap0'", "bound: '(1 - eta*muu)^k * gap0'") });
    await expect(loadTheorems(root)).rejects.toThrow(/typo\.ts: field 'conclusions\[0\]\.bound': .*'muu'/);
  });

  it('rejects a file in the wrong family folder and a duplicate id', async () => {
    await expect(loadTheorems(theoremsDir('wrong-family', { 'overparam/x.ts': source }))).rejects.toThrow(/x\.ts: field 'id'.*folder 'overparam'/);
    await expect(loadTheorems(theoremsDir('duplicate', { 'classic/a.ts': source, 'classic/b.ts': source }))).rejects.toThrow(/b\.ts: field 'id'.*also the id of .*a\.ts/);
  });

  it('rejects a file whose default export is not a theorem', async () => {
    await expect(loadTheorems(theoremsDir('no-default', { 'classic/empty.ts': 'export const x = 1;\n' }))).rejects.toThrow(/empty\.ts: the default export is not a theorem/);
  });

  it('selects by id, glob and family, and names near matches for an unknown id', async () => {
    const all = await loadTheorems();
    const ids = (ps: string[]) => selectTheorems(all, ps).map((t) => t.theorem.id);
    expect(ids(['overparam/*'])).toContain('overparam/du-two-layer-gd-rate');
    expect(ids(['overparam/*']).every((id) => id.startsWith('overparam/'))).toBe(true);
    expect(ids(['classic'])).toContain('classic/gd-quadratic-linear-rate');
    expect(ids(['classic']).every((id) => id.startsWith('classic/'))).toBe(true);
    expect(ids([])).toHaveLength(all.length);
    // The closest match comes first.
    expect(() => ids(['overparam/du-two-layr-gd-rate'])).toThrow(/Did you mean: overparam\/du-two-layer-gd-rate[,?]/);
    expect(nearMatches('gd-quadratic', all.map((t) => t.theorem.id))).toContain('classic/gd-quadratic-linear-rate');
  });
});
