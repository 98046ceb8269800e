/**
 * One worker of `provably check --jobs N` (src/check/pool.ts): loads the theorems once, then runs
 * the whole regimes the parent hands it, one at a time, and sends each Result back serialized.
 * It writes nothing: results, history and reports stay with the parent.
 */
import { serialize } from '../record/result.ts';
import { loadTheorems } from '../theorem/registry.ts';
import { TheoremSpecError } from '../theorem/define.ts';
import { checkRegime, Interrupted } from './runner.ts';
import type { ParentMessage, WorkerMessage } from './pool.ts';

const send = (m: WorkerMessage) => process.send!(m);
let stopping = false;
// Ctrl-C in a terminal reaches the whole process group: finish the current instance, as the
// parent does, and report the regime as interrupted; a second one quits at once, as the parent does.
const onSignal = (signal: NodeJS.Signals) => {
  if (stopping) process.exit(signal === 'SIGTERM' ? 143 : 130);
  stopping = true;
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// The parent is gone (it exited, or was killed): nobody will read what this worker computes.
process.on('disconnect', () => process.exit(0));

const theorems = new Map<string, Awaited<ReturnType<typeof loadTheorems>>[number]['theorem']>();
let options: Extract<ParentMessage, { type: 'init' }>['options'] | undefined;

process.on('message', async (m: ParentMessage) => {
  try {
    if (m.type === 'init') {
      // A theorem file that does not load is skipped here as in the parent, which warned about it.
      for (const { theorem } of await loadTheorems(m.theoremsDir, { onBrokenFile: () => {} })) theorems.set(theorem.id, theorem);
      options = m.options;
      send({ type: 'ready' });
    } else if (m.type === 'stop') {
      stopping = true;
    } else if (m.type === 'run') {
      const theorem = theorems.get(m.theorem);
      if (!theorem || !options) throw new Error(`worker: no theorem ${m.theorem} loaded`);
      try {
        const r = await checkRegime(theorem, m.regime, { ...options, shouldStop: () => stopping });
        send({ type: 'result', index: m.index, result: serialize(r) });
      } catch (e) {
        if (!(e instanceof Interrupted)) throw e;
        send({ type: 'interrupted', index: m.index, message: e.message });
      }
    } else if (m.type === 'exit') {
      process.disconnect();
    }
  } catch (e) {
    // A mistake in a theorem file (a traced series of the wrong length) is reported as one, by the parent.
    const theoremSpec = e instanceof TheoremSpecError ? { field: e.field, problem: e.problem } : undefined;
    send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e), ...(theoremSpec ? { theoremSpec } : {}) });
  }
});
