// Merging result files: regimes of one theorem checked with different engine settings are named,
// including the fused f32 kernel (PROVABLY_F32_KERNEL=wasm), which is not TensorFlow.js.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditResults } from '../src/report/merge.ts';

const FROM = 'reports/results/overparam/du-two-layer-gd-rate';

function copyOf(regimeFiles: readonly string[], edit: (file: string, record: any) => void): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'provably-merge-')), 'overparam', 'du-two-layer-gd-rate');
  mkdirSync(dir, { recursive: true });
  for (const f of regimeFiles) {
    const record = JSON.parse(readFileSync(join(FROM, f), 'utf8'));
    edit(f, record);
    writeFileSync(join(dir, f), JSON.stringify(record, null, 1) + '\n');
  }
  return dir;
}

describe('auditResults', () => {
  const files = ['theorem.json', 'proxy.json', 'proxy~narrow.json', 'broken~width.json'];

  it('says nothing of a consistent set', () => {
    expect(auditResults([copyOf(files, () => {})])).toEqual([]);
  });

  it('names a regime checked with the fused f32 kernel beside ones checked in TensorFlow.js', () => {
    const dir = copyOf(files, (f, r) => {
      if (f === 'proxy.json') r.settings.engine.kernel = 'two-layer-f32 (PROVABLY_F32_KERNEL=wasm)';
    });
    const warnings = auditResults([dir]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/du-two-layer-gd-rate: its regimes were checked with different settings .*engine tfjs\/wasm; .*engine tfjs\/wasm with kernel two-layer-f32/);
  });

  it('names a different seed', () => {
    const dir = copyOf(files, (f, r) => {
      if (f === 'theorem.json') r.settings.seed = 2;
    });
    expect(auditResults([dir]).join('\n')).toMatch(/seed 2, .*seed 1, |seed 1, .*seed 2, /);
  });
});
