/**
 * Checks on a set of result files about to be merged into one report (e.g. from the shards of a
 * check run on several machines): the same (theorem, regime) in two files (the later one wins:
 * say so), results of one theorem from different seeds, budgets or engines, and regimes a
 * theorem declares that no file covers (a missing shard). Warnings only: reporting a partial or
 * mixed set is legitimate, but it should never be silent.
 */
import { readResults, resultFiles, type Result } from '../record/result.ts';

function settingsKey(r: Result): string {
  const s = r.settings;
  // The fused f32 kernel runs outside TensorFlow.js: a merge that mixes it with tfjs runs says so.
  const kernel = s.engine.kernel ? ` with kernel ${s.engine.kernel}` : '';
  return `seed ${s.seed}, budget ${s.budget}, engine ${s.engine.id}/${s.engine.backend}${kernel}`;
}

export function auditResults(paths: readonly string[]): string[] {
  const warnings: string[] = [];
  const seen = new Map<string, { file: string; result: Result }>();
  for (const file of resultFiles(paths))
    for (const result of readResults([file])) {
      if (result.settings.source !== 'drawn') continue;
      const key = `${result.theorem.id} · ${result.regime.name}`;
      const before = seen.get(key);
      if (before) warnings.push(`${key} is in both ${before.file} and ${file}; the report uses ${file}`);
      seen.set(key, { file, result });
    }
  const byTheorem = new Map<string, Result[]>();
  for (const { result } of seen.values()) byTheorem.set(result.theorem.id, [...(byTheorem.get(result.theorem.id) ?? []), result]);
  for (const [id, rs] of byTheorem) {
    const settings = [...new Set(rs.map(settingsKey))];
    if (settings.length > 1) warnings.push(`${id}: its regimes were checked with different settings (${settings.join('; ')})`);
    const have = new Set(rs.map((r) => r.regime.name));
    const missing = rs[0].theorem.regimes.map((r) => r.name).filter((n) => !have.has(n));
    if (missing.length) warnings.push(`${id}: no result for regime${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (a shard not merged?)`);
  }
  return warnings;
}
