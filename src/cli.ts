/**
 * provably list | check | replay | report | new
 *
 * Exit codes: 0 every expectation met; 1 some regime did not behave as it expects (or a replay did
 * not reproduce); 2 bad input (flag, theorem id, instance file, theorem file); 130 interrupted.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { checkRegime, checkUserInstance, CheckError, DEFAULT_RUNS, engineFor, Interrupted, regimeOf, replay } from './check/runner.ts';
import { checkParams, DEFAULT_TIME_LIMIT_S, setRunTimeLimit } from './check/instance.ts';
import { checkParamsShape } from './check/params.ts';
import type { AnyTheorem } from './theorem/define.ts';
import type { InstanceOutcome } from './record/outcome.ts';
import { fmt, fmtRatio, summaryText, violationMargin } from './check/format.ts';
import { EngineError } from './engine/index.ts';
import type { BackendId, EngineId } from './engine/types.ts';
import { HistoryFileError, HistoryRecorder, readHistory } from './report/history.ts';
import { staleReason, writeReports } from './report/write.ts';
import { tightnessText } from './report/markdown.ts';
import { searchSkipped, targetedSuffix } from './report/search-section.ts';
import { createProgress, wantsBars } from './report/progress.ts';
import { readResults, removeResult, resultFiles, ResultFileError, serialize, writeResult, type Result } from './record/result.ts';
import { TheoremSpecError } from './theorem/define.ts';
import { FlowToleranceError, flowTolerance } from './optim/flow.ts';
import { InstanceError } from './theorem/instance-error.ts';
import { parseShard, shardOf, shardText, ShardError, type Shard } from './check/shard.ts';
import { runPool } from './check/pool.ts';
import { longestFirst, previousCost } from './check/schedule.ts';
import { auditResults } from './report/merge.ts';
import { scaffoldTheorem, ScaffoldError } from './scaffold.ts';
import { DEFAULT_THEOREMS_DIR, loadTheorems, RegistryError, selectTheorems, type LoadedTheorem } from './theorem/registry.ts';
import type { Budget } from './theorem/types.ts';

/** The theorem folder's papers-note.md, if any: appended to the index's papers section. */
function papersNote(theoremsDir: string): { papersNote?: string } {
  const file = join(theoremsDir, 'papers-note.md');
  return existsSync(file) ? { papersNote: readFileSync(file, 'utf8') } : {};
}

/** Bad input: reported in one line, exit code 2. */
class UsageError extends Error {}

const EXIT = { ok: 0, expectation: 1, usage: 2, interrupted: 130, terminated: 143 } as const;

/** Ctrl-C (SIGINT) exits 130 and SIGTERM 143, the shell's 128 + signal number, whether the check stops gracefully or at once. */
const exitFor = (signal: NodeJS.Signals) => (signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);

function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string) => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`}`);
    return n;
  };
}

/** fast-check folds a seed to 32 bits (4294967296 draws what 0 draws): only 32-bit seeds are accepted. */
const seedOption = integer('--seed', -(2 ** 31), 2 ** 31 - 1);



const err = (line: string) => process.stderr.write(line + '\n');

/**
 * The theorems, skipping (with a warning naming it) a theorem file that does not load, so that one
 * broken file does not stop `list` or a check of the others. `npm test` loads strictly.
 */
async function loadForCommand(dir: string): Promise<{ all: LoadedTheorem[]; broken: readonly string[]; select: (patterns: readonly string[]) => LoadedTheorem[] }> {
  const broken: string[] = [];
  const all = await loadTheorems(dir, {
    onBrokenFile: (e) => {
      broken.push(e.message);
      err(`provably: warning: skipped a theorem file that does not load: ${e.message}`);
    },
  });
  const select = (patterns: readonly string[]) => {
    try {
      return selectTheorems(all, patterns);
    } catch (e) {
      if (e instanceof RegistryError && broken.length > 0) throw new RegistryError(`${e.message} (${broken.length} theorem file${broken.length === 1 ? '' : 's'} could not be loaded: see the warning above)`);
      throw e;
    }
  };
  return { all, broken, select };
}

/**
 * One check at a time per --out: two checks writing one results folder (with different seeds, say)
 * would leave a mix that neither reports. The lock file holds the pid; a lock whose process is gone
 * (a SIGKILL) is taken over. It is removed when the process exits, however it exits.
 */
function lockOut(out: string): void {
  const lock = join(out, '.provably-check.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      process.on('exit', () => rmSync(lock, { force: true }));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new UsageError(`--out ${out}: another check (pid ${pid}) is writing there; wait for it, or use another --out (the lock is ${lock})`);
      rmSync(lock, { force: true }); // its process is gone
    }
  }
  throw new UsageError(`--out ${out}: could not take the lock ${lock}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Results in `dir` checked with other settings than this check's (seed, budget, engine), as warnings. */
function mixedSettings(dir: string, opts: { seed: number; budget: Budget }): string[] {
  const others = new Map<string, string[]>();
  for (const r of readResults([dir])) {
    if (r.settings.source !== 'drawn' || (r.settings.seed === opts.seed && r.settings.budget === opts.budget)) continue;
    const key = `seed ${r.settings.seed}, budget ${r.settings.budget}`;
    others.set(key, [...(others.get(key) ?? []), `${r.theorem.id} · ${r.regime.name}`]);
  }
  return [...others].map(([key, rs]) => `${rs.length} result${rs.length === 1 ? '' : 's'} in ${dir} ${rs.length === 1 ? 'is' : 'are'} from another check (${key}; this one: seed ${opts.seed}, budget ${opts.budget}), and the reports show them side by side: ${rs.slice(0, 3).join(', ')}${rs.length > 3 ? ', …' : ''}`);
}

/** An fs error as one line: what was tried, on what, and why (`EACCES: permission denied`). */
function fsErrorLine(e: NodeJS.ErrnoException): string {
  return `cannot ${e.syscall ?? 'access'} ${e.path ?? ''}: ${e.code}${e.message.includes(':') ? ` (${e.message.split(':')[1].split(',')[0].trim()})` : ''}`;
}

function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * Make sure `dir` (and these subfolders) exist and take a file, before any work: an unwritable
 * --out (a file, a read-only folder, a name too long) is bad input, found up front.
 */
function writableDir(dir: string, flag: string, subdirs: readonly string[] = []): void {
  try {
    for (const d of [dir, ...subdirs.map((s) => join(dir, s))]) {
      mkdirSync(d, { recursive: true });
      const probe = join(d, `.provably-write-probe-${process.pid}`);
      writeFileSync(probe, '');
      rmSync(probe);
    }
  } catch (e) {
    if (isFsError(e)) throw new UsageError(`${flag} ${dir}: not a folder provably can write to (${fsErrorLine(e)})`);
    throw e;
  }
}

interface CheckFlags {
  regime?: string[];
  budget: Budget;
  runs?: number;
  seed: number;
  engine?: EngineId;
  backend?: BackendId;
  instance?: string;
  force?: boolean;
  json?: boolean;
  out: string;
  theorems: string;
  report: boolean;
  html?: boolean;
  shard?: Shard;
  /** Worker processes; one per core (`os.availableParallelism()`) unless `--jobs` says otherwise. */
  jobs?: number;
  progress: 'auto' | 'bars' | 'plain';
  /** Per-instance limit on a run, in seconds. */
  timeLimit: number;
}

/** Every theorem that exists now, with its regimes: what a result must belong to, to be reported. */
function currentTheorems(all: readonly { readonly theorem: AnyTheorem }[]): Map<string, Set<string>> {
  return new Map(all.map(({ theorem }) => [theorem.id, new Set<string>(theorem.regimeNames)]));
}

function regimeLine(r: Result, ms: number): string {
  const c = r.counts;
  const mark = r.expectation.met ? 'ok  ' : 'FAIL';
  const tight = r.worst.map((w) => `${w.conclusion} ${tightnessText(r, w, true)}${targetedSuffix(r, w.conclusion)}`).join(', ');
  return `${mark} ${r.theorem.id} · ${r.regime.name} (expects ${r.regime.expect}) · ${c.instances} instances: holds ${c.holds}, violated ${c.violated}, vacuous ${c.vacuous}, inconclusive ${c.inconclusive} · worst tightness ${tight}${searchSkipped(r) ? ` · ${searchSkipped(r)}` : ''} · ${(ms / 1000).toFixed(1)} s${r.expectation.met ? '' : `\n     ${r.expectation.observed}`}`;
}

/** The check as a command line, for the results store: `check classic/* --budget ci --seed 1`. */
function checkCommand(patterns: readonly string[], f: CheckFlags): string {
  const parts = ['check', ...patterns, '--budget', f.budget, '--seed', String(f.seed)];
  if (f.runs !== undefined) parts.push('--runs', String(f.runs));
  if (f.regime) parts.push('--regime', ...f.regime);
  if (f.engine) parts.push('--engine', f.engine);
  if (f.backend) parts.push('--backend', f.backend);
  return parts.join(' ');
}

async function runCheck(patterns: string[], flags: CheckFlags): Promise<number> {
  if (flags.engine === 'f64' && flags.backend) throw new UsageError(`--backend ${flags.backend} applies to --engine tfjs; the f64 engine runs in plain TypeScript`);
  flowTolerance(); // a bad PROVABLY_FLOW_RTOL is bad input, reported before any work
  const { all, broken, select } = await loadForCommand(flags.theorems);
  const chosen = select(patterns);
  const opts = { budget: flags.budget, seed: flags.seed, engine: flags.engine, backend: flags.backend, timeLimit: flags.timeLimit };
  setRunTimeLimit(flags.timeLimit);

  if (flags.instance) {
    if (chosen.length !== 1) throw new UsageError(`--instance checks one theorem; ${chosen.length} match (${chosen.map((t) => t.theorem.id).join(', ')})`);
    if (flags.shard) throw new UsageError('--shard splits drawn regimes between processes; it does not apply to --instance');
    if (flags.jobs !== undefined && flags.jobs > 1) throw new UsageError('--jobs runs drawn regimes in parallel; it does not apply to --instance');
    const { theorem } = chosen[0];
    if (!theorem.spec.userInstance) throw new UsageError(`${theorem.id} does not accept --instance files`);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(flags.instance, 'utf8'));
    } catch (e) {
      throw new UsageError(`${flags.instance}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(e as Error).message})`}`);
    }
    let inst: unknown;
    try {
      inst = theorem.spec.userInstance.parse(json);
    } catch (e) {
      if (e instanceof InstanceError) throw new UsageError(`${flags.instance}: ${e.message}\n\nThe instance format of ${theorem.id}:\n${theorem.spec.userInstance.doc}`);
      throw e;
    }
    const cost = theorem.spec.userInstance.cost?.(inst);
    if (cost) {
      err(`${theorem.id} on ${flags.instance}: ${cost.about}`);
      if (!cost.withinLimit && !flags.force) throw new UsageError(`${flags.instance}: beyond the size limit of ${theorem.id} --instance (${cost.limit}); pass --force to check it anyway`);
    }
    const started = Date.now();
    // One line per stage: the eigensolvers and the training run minutes without a word otherwise.
    const onStage = (stage: string) => err(`  … ${stage} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    const r = await checkUserInstance(theorem, inst, flags.instance, { ...opts, onStage });
    const i = r.instances[0];
    err(`${theorem.id} on ${flags.instance} (${summaryText(i.summary)}), engine ${r.settings.engine.id}/${r.settings.engine.backend}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const h of i.hypotheses) err(`  hypothesis ${h.holds ? 'met    ' : 'NOT met'} ${h.name}: measured ${fmt(h.measured)}, required ${h.relation} ${fmt(h.required)}`);
    for (const [k, v] of Object.entries(i.constants)) err(`  constant ${k} = ${v}`);
    for (const c of i.confirmation?.conclusions ?? i.conclusions) err(`  conclusion ${c.name}: ${c.verdict} (tightness ${fmtRatio(c.tightness)}): ${c.reason}`);
    if (i.error) err(`  error: ${i.error}`);
    err(`  ${r.expectation.observed}`);
    if (flags.json) process.stdout.write(serialize(r));
    return r.expectation.met ? EXIT.ok : EXIT.expectation;
  }

  const selected = chosen.flatMap(({ theorem }) => theorem.regimeNames.filter((r) => !flags.regime || flags.regime.includes(r)).map((regime) => ({ theorem, regime })));
  if (selected.length === 0) throw new UsageError(`no regime named ${flags.regime?.join(', ')} in ${chosen.map((t) => `${t.theorem.id} (${t.theorem.regimeNames.join(', ')})`).join('; ')}`);
  const work = flags.shard ? shardOf(selected, flags.shard) : selected;
  if (flags.shard) err(`shard ${shardText(flags.shard)}: ${work.length} of ${selected.length} regimes${work.length ? `: ${work.map((w) => `${w.theorem.id} · ${w.regime}`).join(', ')}` : ' (nothing to do: more shards than regimes)'}`);

  writableDir(flags.out, '--out', ['results', 'history']);
  // The whole selection is validated before the first regime runs: every theorem's engine, and
  // the files already in --out (a broken history file or a stray .json in results/ would
  // otherwise stop the check only after the regimes before it had run).
  for (const { theorem } of chosen) {
    const engineId = flags.engine ?? theorem.spec.engines.default;
    if (!theorem.spec.engines.supported.includes(engineId)) throw new CheckError(`${theorem.id} supports the engines ${theorem.spec.engines.supported.join(', ')}, not '${engineId}' (nothing was checked)`);
  }
  readHistory(join(flags.out, 'history'));
  readResults([join(flags.out, 'results')]);
  lockOut(flags.out);

  const instancesOf = (w: (typeof work)[number]) => flags.runs ?? regimeOf(w.theorem, w.regime).runs?.[flags.budget] ?? DEFAULT_RUNS[flags.budget];
  const progress = createProgress({ stream: process.stderr, tty: wantsBars(flags.progress, process.stderr, process.env) }, work.map((w) => ({ instances: instancesOf(w) })));
  // The first Ctrl-C or SIGTERM (from `timeout`, CI cancellation, a container stop) finishes the
  // current instance, keeps the finished regimes and rebuilds the reports; a second one exits at once.
  let stopping: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(exitFor(signal)); // --jobs workers are killed on exit (src/check/pool.ts)
    stopping = signal;
    progress.log(`${signal === 'SIGTERM' ? 'terminated (SIGTERM)' : 'interrupted'}: finishing the current instance; finished regimes are kept (${signal === 'SIGTERM' ? 'SIGTERM' : 'Ctrl-C'} again to quit now)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const offSignals = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const resultsDir = join(flags.out, 'results');
  // Every check adds its results to the store, one file per run (src/report/history.ts).
  const history = new HistoryRecorder(join(flags.out, 'history'), { command: checkCommand(patterns, flags) });
  const results: Result[] = [];
  let interrupted = false;
  let finished = false;
  // One regime's result, from this process or a worker: stored, recorded, reported in one line.
  const keep = (r: Result): Result => {
    if (flags.shard) r = { ...r, run: { ...r.run, shard: shardText(flags.shard) } };
    writeResult(resultsDir, r);
    history.add(r);
    return r;
  };
  try {
    const jobs = flags.jobs ?? availableParallelism();
    if (jobs > 1 && work.length > 1) {
      progress.stop(); // one bar cannot follow several regimes: plain lines instead
      const byIndex = new Map<number, Result>();
      const startedAt = new Map<number, number>();
      const pool = await runPool(
        work.map((w) => ({ theorem: w.theorem.id, regime: w.regime })),
        jobs,
        flags.theorems,
        { ...opts, runs: flags.runs },
        {
          started: (i, k) => {
            startedAt.set(i, Date.now());
            err(`… ${work[i].theorem.id} · ${work[i].regime}: ${instancesOf(work[i])} instances (worker ${k + 1} of ${Math.min(jobs, work.length)}; ${byIndex.size}/${work.length} regimes done)`);
          },
          finished: (i, r) => {
            const ms = Date.now() - startedAt.get(i)!;
            byIndex.set(i, keep(r));
            err(regimeLine(r, ms));
          },
          interrupted: (_i, message) => err(message),
        },
        () => stopping !== null,
        longestFirst(work.map((w) => previousCost(resultsDir, w.theorem.id, w.regime))),
      );
      // In the work list's order, not the order they finished in.
      results.push(...[...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r));
      interrupted = pool.interrupted;
    } else
      for (const w of work) {
        const { theorem, regime } = w;
        const started = Date.now();
        let r: Result;
        progress.begin(theorem.id, regime, instancesOf(w));
        try {
          r = await checkRegime(theorem, regime, { ...opts, runs: flags.runs, onProgress: (p) => progress.update(p), shouldStop: () => stopping !== null });
        } catch (e) {
          progress.end();
          if (e instanceof Interrupted) {
            progress.log(e.message);
            interrupted = true;
            break;
          }
          throw e;
        }
        progress.end();
        results.push(keep(r));
        progress.log(regimeLine(r, Date.now() - started));
      }
    finished = !interrupted;
  } catch (e) {
    offSignals();
    // A mistake the run revealed in a theorem file (a traced series of the wrong length) names the file.
    if (e instanceof TheoremSpecError && !e.file) {
      const file = chosen.find(({ theorem }) => e.problem.startsWith(`${theorem.id}: `))?.file;
      if (file) throw e.inFile(file);
    }
    throw e;
  } finally {
    progress.stop();
    history.finish(finished); // an interrupted or failed check keeps the regimes it finished, marked incomplete
  }
  // The handlers stay while the reports are rebuilt: a second signal then still exits at once, with its code.
  try {
    // An empty shard (more shards than regimes) has nothing to report.
    if (flags.report && !(flags.shard && work.length === 0)) {
      // The results folder is this command's own: a result of a regime its theorem no longer has
      // would show a verdict the theorem no longer has, so it is deleted, and said so; so is one of a
      // theorem file since deleted, unless the theorems came from another --theorems folder (then the
      // package's own theorems' results are not ours to judge: they are only left out).
      const current = currentTheorems(all);
      const ownTheorems = resolve(flags.theorems) === DEFAULT_THEOREMS_DIR;
      for (const r of readResults([resultsDir])) {
        const why = staleReason(r, current);
        // A theorem file that did not load is not a deleted one: its results stay.
        if (!why || (!current.has(r.theorem.id) && (!ownTheorems || broken.length > 0))) continue;
        const file = removeResult(resultsDir, r.theorem.id, r.regime.name);
        if (file) err(`removed stale result ${r.theorem.id} · ${r.regime.name} from ${file}: ${why}`);
      }
      const { index, pages, html, stale, removed } = await writeReports([resultsDir], flags.out, { html: flags.html === true, current, ...papersNote(flags.theorems) });
      for (const s of stale) err(`provably: warning: left out of the reports: ${s.theorem} · ${s.regime}: ${s.why}`);
      for (const f of removed) err(`removed ${f}: no result refers to it any more`);
      err(`reports: ${index} and ${pages.length} theorem page${pages.length === 1 ? '' : 's'}${html ? `; HTML: ${html}` : ''}`);
    }
  } finally {
    offSignals();
  }
  // The results folder may hold results of other checks (another seed, budget or engine): the
  // reports then mix them, which must never be silent.
  for (const w of mixedSettings(resultsDir, opts)) err(`provably: warning: ${w}`);
  if (flags.json) process.stdout.write(serialize(results.length === 1 ? results[0] : results));
  if (interrupted) return exitFor(stopping ?? 'SIGINT');
  const failed = results.filter((r) => !r.expectation.met);
  err(`${results.length - failed.length} of ${results.length} regimes as expected${failed.length ? `; not as expected: ${failed.map((r) => `${r.theorem.id} · ${r.regime.name}`).join(', ')}` : ''}`);
  return failed.length ? EXIT.expectation : EXIT.ok;
}

function readParams(arg: string): unknown {
  const inline = /^\s*[[{]/.test(arg);
  try {
    return JSON.parse(inline ? arg : readFileSync(arg, 'utf8'));
  } catch (e) {
    if (!inline && (e as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`--params ${arg}: no such file`);
    throw new UsageError(`--params ${inline ? '(inline)' : arg}: not valid JSON (${(e as Error).message})`);
  }
}

/**
 * What a replay found, worded the same whether it was rebuilt from a seed and path or from its
 * parameters: the hypotheses, each conclusion with its tightness, reason and margin, and one verdict line.
 */
function printReplayed(o: Pick<InstanceOutcome, 'hypotheses' | 'hypothesesMet' | 'conclusions' | 'confirmation' | 'verdict' | 'error'>): void {
  for (const h of o.hypotheses) err(`  hypothesis ${h.holds ? 'met    ' : 'NOT met'} ${h.name}: measured ${fmt(h.measured)}, required ${h.relation} ${fmt(h.required)}`);
  for (const c of o.confirmation?.conclusions ?? o.conclusions) {
    const margin = c.firstViolation ? violationMargin(c.firstViolation) : '';
    err(`  conclusion ${c.name}: ${c.verdict}${c.tightness === null ? '' : ` (tightness ${fmtRatio(c.tightness)})`}: ${c.reason}${margin ? `; at step ${c.firstViolation!.k} it ${margin}` : ''}`);
  }
  if (o.confirmation) err(`  float32 violation ${o.confirmation.verdict === 'violated' ? 'confirmed' : 'not confirmed'} by the float64 engine`);
  if (o.error) err(`  error: ${o.error}`);
  const notMet = o.hypotheses.filter((h) => !h.holds).map((h) => h.name);
  const meaning = o.verdict !== 'violated' ? '' : o.hypothesesMet ? ' with every hypothesis met: a refutation' : ` with ${notMet.join(', ')} not met: a counterexample to ${notMet.length === 1 ? 'that hypothesis' : 'those hypotheses'}' necessity`;
  err(`verdict: ${o.verdict}${meaning}`);
}

/** Check the instance the parameters build (e.g. the worst one a targeted search reached). */
async function replayParams(theorem: AnyTheorem, params: unknown, flags: { regime?: string; budget: Budget; engine?: EngineId; backend?: BackendId; json?: boolean; expect?: string }): Promise<number> {
  if (flags.regime) regimeOf(theorem, flags.regime); // names the regimes when it has none by that name
  const shape = checkParamsShape(theorem, params, flags.budget, flags.regime);
  if (shape.problem) throw new UsageError(`--params: ${shape.problem}`);
  if (shape.inRegimes.length === 0) err(`note: these parameters have the shape ${theorem.id} draws, but ${flags.regime ? `the regime ${flags.regime}` : 'no regime'} draws them (or its arbitrary cannot tell); checked anyway`);
  const engine = await engineFor(theorem, flags.engine, flags.backend);
  const o = await checkParams(theorem, params, engine, flags.budget);
  err(`${theorem.id} · given parameters: ${summaryText(o.summary)}`);
  err(`  parameters ${JSON.stringify(params)}`);
  printReplayed(o);
  const { curves: _curves, ...rec } = o;
  if (flags.json) process.stdout.write(serialize({ params, ...rec }));
  return expectedVerdict(o.verdict, flags.expect);
}

/** Exit 1 when `--expect` named a verdict the replay did not give. */
function expectedVerdict(verdict: string, expect: string | undefined): number {
  if (expect === undefined || verdict === expect) return EXIT.ok;
  err(`(expected \`${expect}\`; this instance replayed as \`${verdict}\`)`);
  return EXIT.expectation;
}

export function buildProgram(): Command {
  const program = new Command('provably')
    .description('Executable specifications of deep-learning optimization theorems: check them, read the reports.')
    .version((JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const theoremsOption = () => new Option('--theorems <dir>', 'directory of theorem files').default(DEFAULT_THEOREMS_DIR, 'the package’s theorems/');

  program
    .command('list')
    .description('list the theorems, their regimes and sources')
    .option('--json', 'print JSON')
    .addOption(theoremsOption())
    .action(async (flags: { json?: boolean; theorems: string }) => {
      const { all } = await loadForCommand(flags.theorems);
      if (flags.json) {
        process.stdout.write(serialize(all.map(({ theorem: t, file }) => ({ id: t.id, title: t.spec.title, kind: t.spec.kind, regimes: t.regimeNames, provenance: t.spec.provenance, file }))));
        return;
      }
      let family = '';
      for (const { theorem: t } of all) {
        if (t.family !== family) process.stdout.write(`${family ? '\n' : ''}${t.family}/\n`);
        family = t.family;
        const p = t.spec.provenance;
        process.stdout.write(`  ${t.id}\n    ${t.spec.title}\n    ${p.authors[0]}${p.authors.length > 1 ? ' et al.' : ''} ${p.year}${p.arxiv ? `, arXiv:${p.arxiv}` : ''}, ${p.locator} · fidelity ${p.fidelity} · regimes: ${t.regimeNames.join(', ')}\n`);
      }
    });

  program
    .command('check')
    .description('check theorems (all by default) and write results and reports')
    .argument('[ids...]', 'theorem ids, globs such as overparam/*, or family names')
    .option('--regime <name...>', 'only these regimes')
    .addOption(new Option('--budget <budget>', 'instance counts and run lengths').choices(['ci', 'full']).default('full'))
    .option('--runs <n>', 'instances per regime (overrides the budget)', integer('--runs', 1))
    .option('--seed <s>', 'fast-check seed', seedOption, 1)
    .addOption(new Option('--engine <engine>', 'training engine (default: the theorem’s own)').choices(['f64', 'tfjs']))
    .addOption(new Option('--backend <backend>', 'tfjs backend').choices(['wasm', 'cpu', 'tensorflow']))
    .option('--instance <file.json>', 'check one theorem on your own instance instead of drawn ones')
    .option('--force', 'check an --instance beyond the theorem’s documented size limit')
    .option('--json', 'print the result record(s) as JSON on stdout')
    .option('--out <dir>', 'where results and reports go', 'reports')
    .option('--no-report', 'write results only')
    .option('--html', 'also write the HTML site (<out>/html)')
    .option('--shard <i/N>', 'run only the i-th of N deterministic slices of the selected regimes (merge with `provably report --results ...`)', (v: string) => {
      try {
        return parseShard(v);
      } catch (e) {
        throw new InvalidArgumentError((e as ShardError).message);
      }
    })
    .option('--jobs <n>', 'run regimes in n worker processes (default: one per core); results are the same bytes as with 1', integer('--jobs', 1))
    .addOption(new Option('--progress <mode>', 'bars on a terminal, plain lines elsewhere (auto: bars unless stderr is not a terminal, TERM=dumb or NO_COLOR is set)').choices(['auto', 'bars', 'plain']).default('auto'))
    .option('--time-limit <s>', 'per-instance limit on a run, in seconds: a run still going then is inconclusive', integer('--time-limit', 1), DEFAULT_TIME_LIMIT_S)
    .addOption(theoremsOption())
    .action(async (ids: string[], flags: CheckFlags) => {
      process.exitCode = await runCheck(ids, { ...flags, out: resolve(flags.out) });
    });

  program
    .command('replay')
    .description('rebuild one instance from its seed and fast-check path (or from its parameters) and check it again')
    .argument('<id>', 'theorem id')
    .option('--seed <s>', 'fast-check seed', seedOption)
    .option('--path <path>', 'fast-check path, e.g. 3:1:0')
    .option('--params <json-or-file>', 'the instance parameters instead of seed and path (a targeted-search instance: a JSON file or inline JSON)')
    .option('--regime <name>', 'regime (required when the theorem has several)')
    .addOption(new Option('--budget <budget>', 'budget of the original check').choices(['ci', 'full']).default('full'))
    .addOption(new Option('--engine <engine>').choices(['f64', 'tfjs']))
    .addOption(new Option('--backend <backend>').choices(['wasm', 'cpu', 'tensorflow']))
    .addOption(new Option('--expect <verdict>', 'the verdict the instance should replay as; exit 1 otherwise (default for --seed/--path: violated, a counterexample; none for --params)').choices(['holds', 'violated', 'vacuous', 'inconclusive']))
    .option('--json', 'print the instance record as JSON on stdout')
    .addOption(theoremsOption())
    .action(async (id: string, flags: { seed?: number; path?: string; params?: string; regime?: string; budget: Budget; engine?: EngineId; backend?: BackendId; json?: boolean; expect?: string; theorems: string }) => {
      if (flags.params !== undefined && (flags.seed !== undefined || flags.path !== undefined)) throw new UsageError('give either --params or --seed and --path, not both');
      if (flags.params === undefined && (flags.seed === undefined || flags.path === undefined)) throw new UsageError('replay needs --seed and --path (a drawn or shrunk instance) or --params (a targeted-search instance)');
      const { all, select } = await loadForCommand(flags.theorems);
      const theorem = all.find((t) => t.theorem.id === id)?.theorem;
      if (!theorem) {
        select([id]); // names the near matches when nothing matches
        throw new UsageError(`replay takes one exact theorem id; '${id}' is a pattern`);
      }
      if (flags.params !== undefined) {
        process.exitCode = await replayParams(theorem, readParams(flags.params), flags);
        return;
      }
      if (flags.seed === undefined || flags.path === undefined) return;
      const regime = flags.regime ?? (theorem.regimeNames.length === 1 ? theorem.regimeNames[0] : undefined);
      if (!regime) throw new UsageError(`${id} has several regimes (${theorem.regimeNames.join(', ')}): name one with --regime`);
      const rec = await replay(theorem, { regime, seed: flags.seed, path: flags.path, budget: flags.budget, engine: flags.engine, backend: flags.backend });
      err(`${id} · ${regime} · seed ${flags.seed} · path ${flags.path}: ${summaryText(rec.summary)}`);
      err(`  parameters ${JSON.stringify(rec.params)}`);
      printReplayed(rec);
      if (flags.json) process.stdout.write(serialize(rec));
      process.exitCode = expectedVerdict(rec.verdict, flags.expect ?? 'violated');
    });

  program
    .command('new')
    .description('write a theorem file to start from (a checkable placeholder theorem), and the family’s CI test file if it has none')
    .argument('<id>', '<family>/<claim>, e.g. classic/my-rate')
    .addOption(theoremsOption())
    .action(async (id: string, flags: { theorems: string }) => {
      // The family's test file belongs to this package's test/; a theorems directory elsewhere gets none.
      const testDir = resolve(flags.theorems) === DEFAULT_THEOREMS_DIR ? join(DEFAULT_THEOREMS_DIR, '..', 'test', 'theorems') : undefined;
      const made = scaffoldTheorem(id, flags.theorems, testDir);
      err(`wrote ${made.theoremFile}${made.testFile ? ` and ${made.testFile} (the family's CI check)` : ''}`);
      err(`next: replace each TODO, then \`npx provably check ${id} --budget ci\` and \`npm test\``);
    });

  program
    .command('report')
    .description('rebuild the Markdown reports (and with --html the HTML site) from result files (any number of directories or files, e.g. from several machines)')
    .option('--results <paths...>', 'result directories or files', ['reports/results'])
    .option('--out <dir>', 'where the reports go', 'reports')
    .option('--html', 'also write the HTML site (<out>/html): KaTeX math, plots, filterable index; opens offline')
    .option('--history <dir>', 'the results store to compare with (default: <out>/history)')
    .addOption(theoremsOption())
    .action(async (flags: { results: string[]; out: string; html?: boolean; history?: string; theorems: string }) => {
      // Check first, write after: a mistyped --results must not replace the index with an empty one.
      for (const p of flags.results) if (!existsSync(p)) throw new UsageError(`--results ${p}: no such file or directory`);
      if (resultFiles(flags.results).length === 0) throw new UsageError(`no result files under ${flags.results.join(', ')}; run \`provably check\` first`);
      writableDir(flags.out, '--out');
      for (const w of auditResults(flags.results)) err(`provably: warning: ${w}`);
      // Results of regimes or theorems that no longer exist are left out (the input folders may be
      // someone else's shards: they are not deleted), and pages nothing refers to are removed.
      const current = currentTheorems((await loadForCommand(flags.theorems)).all);
      const { index, pages, papers, results, html, stale, removed } = await writeReports(flags.results, flags.out, { html: flags.html === true, current, ...papersNote(flags.theorems), ...(flags.history ? { history: flags.history } : {}) });
      for (const s of stale) err(`provably: warning: left out of the reports: ${s.theorem} · ${s.regime}: ${s.why} (delete its result file, or check it again)`);
      for (const f of removed) err(`removed ${f}: no result refers to it any more`);
      if (results === 0) throw new UsageError(`no result files under ${flags.results.join(', ')}; run \`provably check\` first`);
      err(`${results} results → ${index}, ${pages.length} theorem page${pages.length === 1 ? '' : 's'} and ${papers.length} paper page${papers.length === 1 ? '' : 's'}${html ? `; HTML: ${html}` : ''}`);
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof UsageError || e instanceof ScaffoldError || e instanceof FlowToleranceError || e instanceof RegistryError || e instanceof TheoremSpecError || e instanceof CheckError || e instanceof EngineError || e instanceof ResultFileError || e instanceof HistoryFileError || (e instanceof Error && e.name === 'HtmlError')) {
      err(`provably: ${e.message}`);
      return EXIT.usage;
    }
    if (isFsError(e)) {
      err(`provably: ${fsErrorLine(e)}`);
      return EXIT.usage;
    }
    throw e;
  }
}
