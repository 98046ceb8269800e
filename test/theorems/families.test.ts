import { expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadTheorems } from '../../src/theorem/registry.ts';

it('every theorem family has its CI test file, so no theorem goes unchecked', async () => {
  const families = [...new Set((await loadTheorems()).map(({ theorem }) => theorem.family))];
  const missing = families.filter((f) => !existsSync(join(import.meta.dirname, `${f}.test.ts`)));
  expect(missing, `add test/theorems/<family>.test.ts for: ${missing.join(', ')}`).toEqual([]);
});
