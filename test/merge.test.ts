// Merging result files: regimes of one theorem checked with different engine settings are named,
// including the fused f32 kernel (PROVABLY_F32_KERNEL=wasm), which is not TensorFlow.js.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults, writeResult } from '../src/record/result.ts';
import { auditResults } from '../src/report/merge.ts';

// The committed results of one theorem (its four regimes), in whichever layout reports/ holds.
const committed = readResults(['reports/results/overparam']).filter((r) => r.theorem.id === 'overparam/du-two-layer-gd-rate');

function copyOf(edit: (regime: string, record: any) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'provably-merge-'));
  for (const r of committed) {
    const record = structuredClone(r);
    edit(r.regime.name, record);
    writeResult(dir, record);
  }
  return dir;
}

describe('auditResults', () => {
  it('says nothing of a consistent set', () => {
    expect(committed.map((r) => r.regime.name).sort()).toEqual(['broken:width', 'proxy', 'proxy:narrow', 'theorem']);
    expect(auditResults([copyOf(() => {})])).toEqual([]);
  });

  it('names a regime checked with the fused f32 kernel beside ones checked in TensorFlow.js', () => {
    const dir = copyOf((regime, r) => {
      if (regime === 'proxy') r.settings.engine.kernel = 'two-layer-f32 (PROVABLY_F32_KERNEL=wasm)';
    });
    const warnings = auditResults([dir]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/du-two-layer-gd-rate: its regimes were checked with different settings .*engine tfjs\/wasm; .*engine tfjs\/wasm with kernel two-layer-f32/);
  });

  it('names a different seed', () => {
    const dir = copyOf((regime, r) => {
      if (regime === 'theorem') r.settings.seed = 2;
    });
    expect(auditResults([dir]).join('\n')).toMatch(/seed 2, .*seed 1, |seed 1, .*seed 2, /);
  });
});
