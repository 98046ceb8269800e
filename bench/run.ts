/**
 * npm run bench: one full-batch GD step of the two-layer ReLU network (Du et al.: W trained, a
 * fixed; loss ½‖u − y‖², read back every step), timed for our engines and for numpy and PyTorch
 * on this machine, all in one run. Writes bench/results.json and the measured part of
 * bench/RESULTS.md, and prints the table.
 *
 *   npm run bench                        # 3 rounds, 1 thread everywhere
 *   npm run bench -- --rounds 5 --threads 2 --no-install --python /usr/bin/python3
 *   npm run bench -- --impl provably-f32-kernel,torch-f32 --size 16384,100:50:10000 --rounds 5
 *                                        # a subset: printed, written only to --out/--markdown if given
 *
 * Each (implementation, size) runs in a fresh process per round (so its peak RSS is its own):
 * warm-up, then `blocks` timed blocks of about `blockSeconds` each; the process reports the
 * median block. A row's ms_per_step is the median over rounds of those medians, and the spread
 * of the round medians is printed as the noise. Implementations run in a different order each
 * round, so a burst of load from other processes does not always hit the same one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { median, type WorkerConfig, type WorkerResult } from './worker.ts';
import { betterOpenblasCore, blasRefusal, classifyBlas, targetsLine, type BlasProbe, type BlasVerdict } from './blas.ts';

const HERE = import.meta.dirname;
const ROOT = join(HERE, '..');

interface Size {
  readonly n: number;
  readonly d: number;
  readonly m: number;
}

const SIZES: readonly Size[] = [
  { n: 64, d: 16, m: 256 },
  { n: 64, d: 16, m: 1024 },
  { n: 64, d: 16, m: 4096 },
  { n: 64, d: 16, m: 16384 },
  { n: 100, d: 50, m: 10000 },
];

type ImplId = 'provably-tfjs-f32' | 'provably-f32-kernel' | 'provably-f64' | 'provably-f64-js' | 'numpy-f32' | 'numpy-f64' | 'torch-f32' | 'torch-f64';

interface Impl {
  readonly id: ImplId;
  readonly label: string;
  readonly precision: 'float32' | 'float64';
  readonly kind: 'node' | 'python';
}

const IMPLS: readonly Impl[] = [
  { id: 'provably-tfjs-f32', label: 'provably tfjs (wasm, f32, hand-written gradient)', precision: 'float32', kind: 'node' },
  { id: 'provably-f32-kernel', label: 'provably f32, fused wasm kernel (PROVABLY_F32_KERNEL=wasm)', precision: 'float32', kind: 'node' },
  { id: 'provably-f64', label: 'provably f64 (wasm kernel)', precision: 'float64', kind: 'node' },
  { id: 'provably-f64-js', label: 'provably f64, TypeScript loops (PROVABLY_F64_KERNEL=js)', precision: 'float64', kind: 'node' },
  { id: 'numpy-f32', label: 'numpy f32 (hand-written gradient)', precision: 'float32', kind: 'python' },
  { id: 'numpy-f64', label: 'numpy f64 (hand-written gradient)', precision: 'float64', kind: 'python' },
  { id: 'torch-f32', label: 'PyTorch CPU f32 (autograd)', precision: 'float32', kind: 'python' },
  { id: 'torch-f64', label: 'PyTorch CPU f64 (autograd)', precision: 'float64', kind: 'python' },
];

interface Options {
  rounds: number;
  threads: number;
  blocks: number;
  blockSeconds: number;
  warmupSeconds: number;
  python: string;
  install: boolean;
  out: string;
  markdown: string;
  sizes: readonly Size[];
  /** Only these implementations (default all). */
  impls: readonly ImplId[] | null;
  /** A subset run (--impl, --size) writes results.json and RESULTS.md only where --out and --markdown say. */
  partial: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = {
    rounds: 3,
    threads: 1,
    blocks: 7,
    blockSeconds: 0.2,
    // tfjs needs a second or more of steps before V8 has optimised its dispatch code (measured:
    // 0.3 s of warm-up left m = 1024 steps 2–3× slower than 2 s did); everyone gets the same.
    warmupSeconds: 1.5,
    python: '/usr/bin/python3',
    install: true,
    out: join(HERE, 'results.json'),
    markdown: join(HERE, 'RESULTS.md'),
    sizes: SIZES,
    impls: null,
    partial: false,
  };
  let outGiven = false;
  let markdownGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    const int = (v: string) => {
      const x = Number(v);
      if (!Number.isInteger(x) || x < 1) usage(`${a} must be a positive integer`);
      return x;
    };
    if (a === '--rounds') o.rounds = int(next());
    else if (a === '--threads') o.threads = int(next());
    else if (a === '--blocks') o.blocks = int(next());
    else if (a === '--block-seconds') o.blockSeconds = Number(next());
    else if (a === '--python') o.python = next();
    else if (a === '--no-install') o.install = false;
    else if (a === '--out') {
      o.out = next();
      outGiven = true;
    } else if (a === '--markdown') {
      o.markdown = next();
      markdownGiven = true;
    } else if (a === '--quick') o.sizes = SIZES.filter((s) => s.m <= 1024);
    else if (a === '--impl') {
      const ids = next().split(',');
      for (const id of ids) if (!IMPLS.some((i) => i.id === id)) usage(`--impl: unknown implementation '${id}' (one of ${IMPLS.map((i) => i.id).join(', ')})`);
      o.impls = ids as ImplId[];
      o.partial = true;
    } else if (a === '--size') {
      // m (n = 64, d = 16) or n:d:m, comma-separated; each must be one of the bench's sizes
      const picked = next().split(',').map((v) => {
        const parts = v.split(':').map(Number);
        const want = parts.length === 1 ? { n: 64, d: 16, m: parts[0] } : { n: parts[0], d: parts[1], m: parts[2] };
        const size = SIZES.find((s) => s.n === want.n && s.d === want.d && s.m === want.m);
        if (!size) usage(`--size: '${v}' is not one of ${SIZES.map((s) => `${s.n}:${s.d}:${s.m}`).join(', ')}`);
        return size;
      });
      o.sizes = picked;
      o.partial = true;
    } else usage(`unknown option ${a}`);
  }
  if (o.partial) {
    if (!outGiven) o.out = '';
    if (!markdownGiven) o.markdown = '';
  }
  return o;
}

function usage(msg: string): never {
  process.stderr.write(`bench: ${msg}\nusage: npm run bench -- [--rounds N] [--threads N] [--blocks N] [--block-seconds S] [--python PATH] [--no-install] [--quick] [--impl id,id] [--size m|n:d:m,...] [--out results.json] [--markdown RESULTS.md]\n`);
  process.exit(2);
}

const log = (s: string) => process.stderr.write(s + '\n');

/**
 * OPENBLAS_CORETYPE for the Python side: unset (OpenBLAS chooses its own kernel) unless
 * ensureOptimisedBlas found it misdetecting this CPU (see betterOpenblasCore in bench/blas.ts).
 */
let openblasCore: string | null = null;

/** Environment for the Python side: T threads, and OpenBLAS choosing its own kernel unless it misdetects the CPU. */
function pythonEnv(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (openblasCore) env.OPENBLAS_CORETYPE = openblasCore;
  return env;
}

function pythonHas(python: string, mod: string): boolean {
  return existsSync(python) && spawnSync(python, ['-c', `import ${mod}`], { stdio: 'ignore' }).status === 0;
}

/** numpy and torch from Debian, installed if missing and we may; else the columns are skipped, and said so. */
function ensurePython(o: Options): Record<string, string> {
  const skipped: Record<string, string> = {};
  const missing = () => ['numpy', 'torch'].filter((m) => !pythonHas(o.python, m));
  let gone = missing();
  if (gone.length && o.install) {
    const root = process.getuid?.() === 0;
    const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
    if (root && apt && o.python === '/usr/bin/python3') {
      log(`bench: installing Debian's python3-numpy, python3-torch and libopenblas0-pthread (missing: ${gone.join(', ')})...`);
      aptInstall(['python3-numpy', 'python3-torch', 'libopenblas0-pthread']);
      gone = missing();
    } else log(`bench: ${gone.join(' and ')} missing for ${o.python}, and not installing (${!root ? 'not root' : !apt ? 'no apt-get' : 'not the system python3'})`);
  }
  for (const m of gone) {
    const reason = `${m} is not importable by ${o.python} (apt-get install python3-numpy python3-torch libopenblas0-pthread)`;
    for (const impl of IMPLS.filter((i) => i.id.startsWith(m === 'numpy' ? 'numpy' : 'torch'))) skipped[impl.id] = reason;
    if (m === 'numpy') for (const impl of IMPLS.filter((i) => i.id.startsWith('torch'))) skipped[impl.id] = reason;
  }
  for (const [id, why] of Object.entries(skipped)) log(`bench: SKIPPING ${id}: ${why}`);
  return skipped;
}

function aptInstall(pkgs: readonly string[]): boolean {
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (install()) return true;
  spawnSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return install();
}

function probeBlas(o: Options, lib: 'numpy' | 'torch'): BlasVerdict {
  const r = spawnSync(o.python, [join(HERE, 'step.py'), JSON.stringify({ impl: 'blas', lib })], { encoding: 'utf8', env: pythonEnv(o.threads) });
  let probe: BlasProbe;
  try {
    probe = JSON.parse(r.stdout) as BlasProbe;
  } catch {
    probe = { lib, libraries: [], openblas: [], error: `no answer from ${o.python} bench/step.py (exit ${r.status}): ${r.stderr.trim().split('\n').pop() ?? ''}` };
  }
  return classifyBlas(probe);
}

/**
 * The anchors must run on an optimised BLAS: probe what numpy and torch loaded; if either is not
 * OpenBLAS (or MKL), install libopenblas0-pthread (Debian switches libblas.so.3 to it) and probe
 * again. What remains not optimised is the reason the targets are not judged.
 */
function ensureOptimisedBlas(o: Options, skipped: Record<string, string>): { verdicts: BlasVerdict[]; refusal: string | null } {
  const libs = (['numpy', 'torch'] as const).filter((l) => !skipped[`${l}-f64`]);
  let verdicts = libs.map((l) => probeBlas(o, l));
  if (verdicts.some((v) => !v.optimised)) {
    const root = process.getuid?.() === 0;
    const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
    if (o.install && root && apt && o.python === '/usr/bin/python3') {
      log(`bench: ${blasRefusal(verdicts)}; installing libopenblas0-pthread...`);
      aptInstall(['libopenblas0-pthread']);
      verdicts = libs.map((l) => probeBlas(o, l));
    } else log(`bench: not installing libopenblas0-pthread (${!o.install ? '--no-install' : !root ? 'not root' : !apt ? 'no apt-get' : 'not the system python3'})`);
  }
  const flags = existsSync('/proc/cpuinfo') ? (/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '') : '';
  const better = verdicts.map((v) => (v.optimised ? betterOpenblasCore(v.name, flags) : null)).find((c) => c !== null) ?? null;
  if (better) {
    log(`bench: OpenBLAS picked a generic kernel on this CPU (${verdicts.map((v) => v.name).join('; ')}), which has the instructions of ${better}: forcing OPENBLAS_CORETYPE=${better}`);
    openblasCore = better;
    verdicts = libs.map((l) => probeBlas(o, l));
  }
  for (const v of verdicts) log(`bench: ${v.lib} runs on ${v.name}`);
  const refusal = blasRefusal(verdicts);
  if (refusal) log(`bench: REFUSING TO JUDGE THE TARGETS: ${refusal}`);
  return { verdicts, refusal };
}

interface Measurement extends WorkerResult {
  readonly round: number;
}

function runOne(impl: Impl, size: Size, o: Options): WorkerResult {
  const eta = 1e-4; // small enough that the residual stays O(1) (no subnormals) however long the bench runs
  if (impl.kind === 'node') {
    const worker = ({ 'provably-tfjs-f32': 'tfjs', 'provably-f32-kernel': 'f32-kernel', 'provably-f64': 'f64', 'provably-f64-js': 'f64-js' } as const)[impl.id as 'provably-tfjs-f32'];
    const cfg: WorkerConfig = { impl: worker, ...size, eta, warmupSeconds: o.warmupSeconds, blockSeconds: o.blockSeconds, blocks: o.blocks };
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(HERE, 'worker.ts'), JSON.stringify(cfg)], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out) as WorkerResult;
  }
  const [lib, dtype] = impl.id.split('-') as ['numpy' | 'torch', 'f32' | 'f64'];
  const cfg = { impl: lib, dtype: dtype === 'f32' ? 'float32' : 'float64', ...size, eta, threads: o.threads, warmupSeconds: o.warmupSeconds, blockSeconds: o.blockSeconds, blocks: o.blocks };
  const out = execFileSync(o.python, [join(HERE, 'step.py'), JSON.stringify(cfg)], { encoding: 'utf8', env: pythonEnv(o.threads), stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out) as WorkerResult;
}

interface Peak {
  readonly gflops: { float32: number; float64: number };
  readonly by: string;
  readonly blas?: string;
}

function measurePeak(o: Options, skipped: Record<string, string>): Peak | null {
  if (skipped['numpy-f64']) return null;
  const out = execFileSync(o.python, [join(HERE, 'step.py'), JSON.stringify({ impl: 'peak', threads: o.threads })], { encoding: 'utf8', env: pythonEnv(o.threads) });
  return JSON.parse(out) as Peak;
}

export interface Row {
  readonly implementation: ImplId;
  readonly label: string;
  readonly precision: string;
  readonly n: number;
  readonly d: number;
  readonly m: number;
  readonly ms_per_step: number;
  readonly gflops: number;
  readonly fraction_of_peak: number | null;
  readonly peak_rss_mb: number;
  readonly ratio_vs_torch_f32: number | null;
  readonly ratio_vs_numpy_f64: number | null;
  /** Median of each round, and (max − min)/median over them. */
  readonly round_medians: number[];
  readonly noise: number;
  readonly cpu_ms_per_step?: number;
  /** The same ratios on CPU time (less affected by other processes on the machine). */
  readonly cpu_ratio_vs_torch_f32?: number | null;
  readonly cpu_ratio_vs_numpy_f64?: number | null;
}

function flops(s: Size): number {
  return 4 * s.n * s.d * s.m;
}

function fmtMs(x: number | null): string {
  if (x === null) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3);
}

function fmtRatio(x: number | null): string {
  return x === null ? '—' : `${x.toFixed(2)}×`;
}

function target(row: Row): { target: string; met: boolean } | null {
  if ((row.implementation === 'provably-tfjs-f32' || row.implementation === 'provably-f32-kernel') && row.ratio_vs_torch_f32 !== null) return { target: '≤ 1.0× torch f32', met: row.ratio_vs_torch_f32 <= 1 };
  if (row.implementation === 'provably-f64' && row.m >= 4096 && row.ratio_vs_numpy_f64 !== null) return { target: '≤ 1.5× numpy f64', met: row.ratio_vs_numpy_f64 <= 1.5 };
  return null;
}

function table(rows: readonly Row[], refusal: string | null): string {
  const head = ['implementation', 'n', 'd', 'm', 'ms/step', 'noise', 'CPU ms/step', 'GFLOP/s', '% of peak', 'peak RSS MB', 'vs torch f32', 'vs numpy f64', 'target'];
  const lines = rows.map((r) => {
    const t = target(r);
    return [
      r.implementation,
      String(r.n),
      String(r.d),
      String(r.m),
      fmtMs(r.ms_per_step),
      `±${((r.noise / 2) * 100).toFixed(0)}%`,
      fmtMs(r.cpu_ms_per_step ?? null),
      r.gflops.toFixed(2),
      r.fraction_of_peak === null ? '—' : `${(r.fraction_of_peak * 100).toFixed(1)}%`,
      r.peak_rss_mb.toFixed(0),
      fmtRatio(r.ratio_vs_torch_f32),
      fmtRatio(r.ratio_vs_numpy_f64),
      t ? (refusal ? `not judged (${t.target}; the BLAS is not optimised)` : `${t.met ? 'met' : 'MISSED'} (${t.target})`) : '',
    ];
  });
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
}

function machine(o: Options, peak: Peak | null, loads: number[][], versions: Record<string, string>) {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    threads: o.threads,
    python: o.python,
    versions,
    peak_gflops: peak?.gflops ?? null,
    peak_by: peak ? `${peak.by}, ${o.threads} thread${o.threads > 1 ? 's' : ''}` : null,
    blas_core: peak?.blas ?? null,
    load_average_1min: loads.map((l) => Number(l[0].toFixed(2))),
  };
}

function writeMarkdown(path: string, section: string): void {
  const begin = '<!-- bench:begin (written by npm run bench; edit outside these markers) -->';
  const end = '<!-- bench:end -->';
  const old = existsSync(path) ? readFileSync(path, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
  const i = old.indexOf(begin);
  const j = old.indexOf(end);
  const body = `${begin}\n${section}\n${end}`;
  writeFileSync(path, i >= 0 && j > i ? old.slice(0, i) + body + old.slice(j + end.length) : `${old.trimEnd()}\n\n${body}\n`);
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const started = new Date();
  const skipped = ensurePython(o);
  const blas = ensureOptimisedBlas(o, skipped);
  const blasOf = (id: ImplId) => blas.verdicts.find((v) => id.startsWith(v.lib))?.name;
  const impls = IMPLS.filter((i) => !skipped[i.id] && (!o.impls || o.impls.includes(i.id)));
  const results = new Map<string, Measurement[]>();
  const loads: number[][] = [loadavg()];
  const versions: Record<string, string> = {};
  let peak: Peak | null = null;
  for (let round = 0; round < o.rounds; round++) {
    const p = measurePeak(o, skipped);
    // The peak is the best matmul rate seen in any round.
    if (p) peak = peak ? { ...p, gflops: { float32: Math.max(p.gflops.float32, peak.gflops.float32), float64: Math.max(p.gflops.float64, peak.gflops.float64) } } : p;
    if (p) log(`round ${round + 1}/${o.rounds}: matmul peak ${p.gflops.float32.toFixed(1)} GFLOP/s f32, ${p.gflops.float64.toFixed(1)} f64 (${p.by}${p.blas ? `, ${p.blas}` : ''})`);
    for (const size of o.sizes) {
      const order = impls.map((_, k) => impls[(k + round) % impls.length]);
      for (const impl of order) {
        const key = `${impl.id} ${size.n} ${size.d} ${size.m}`;
        const r = runOne(impl, size, o);
        // Library versions only: the engine and kernel are per implementation (see the rows).
        for (const [k, v] of Object.entries(r.versions)) if (k !== 'engine' && k !== 'kernel') versions[k] = v;
        results.set(key, [...(results.get(key) ?? []), { ...r, round }]);
        log(`  ${key.padEnd(34)} ${fmtMs(r.ms_per_step).padStart(7)} ms/step  (blocks ${r.blocks.map(fmtMs).join(' ')})`);
      }
    }
    loads.push(loadavg());
  }

  const rowsRaw = impls.flatMap((impl) =>
    o.sizes.map((size) => {
      const ms = results.get(`${impl.id} ${size.n} ${size.d} ${size.m}`)!;
      const medians = ms.map((x) => x.ms_per_step);
      const msPerStep = median(medians);
      const gflops = flops(size) / (msPerStep / 1000) / 1e9;
      return {
        implementation: impl.id,
        label: impl.kind === 'python' && blasOf(impl.id) ? `${impl.label}, BLAS: ${blasOf(impl.id)}` : impl.label,
        precision: impl.precision,
        ...size,
        ms_per_step: msPerStep,
        gflops,
        fraction_of_peak: peak ? gflops / peak.gflops[impl.precision] : null,
        peak_rss_mb: Math.max(...ms.map((x) => x.peak_rss_mb)),
        round_medians: medians,
        noise: (Math.max(...medians) - Math.min(...medians)) / msPerStep,
        cpu_ms_per_step: median(ms.map((x) => x.cpu_ms_per_step)),
      };
    }),
  );
  const rowOf = (id: ImplId, s: Size) => rowsRaw.find((r) => r.implementation === id && r.n === s.n && r.d === s.d && r.m === s.m) ?? null;
  const rows: Row[] = rowsRaw.map((r) => {
    const torch = rowOf('torch-f32', r);
    const numpy = rowOf('numpy-f64', r);
    return {
      ...r,
      ratio_vs_torch_f32: torch && r.ms_per_step / torch.ms_per_step,
      ratio_vs_numpy_f64: numpy && r.ms_per_step / numpy.ms_per_step,
      cpu_ratio_vs_torch_f32: torch && r.cpu_ms_per_step / torch.cpu_ms_per_step,
      cpu_ratio_vs_numpy_f64: numpy && r.cpu_ms_per_step / numpy.cpu_ms_per_step,
    };
  });

  const info = machine(o, peak, loads, versions);
  const output = {
    schema: 'provably.bench/1',
    what: 'one full-batch GD step of the two-layer ReLU net f(x) = (1/√m) Σ_r a_r relu(w_rᵀx), W trained, a fixed, loss ½‖u − y‖² read back every step; FLOPs counted as 4·n·d·m per step',
    started: started.toISOString(),
    finished: new Date().toISOString(),
    settings: { rounds: o.rounds, blocks: o.blocks, block_seconds: o.blockSeconds, warmup_seconds: o.warmupSeconds, threads: o.threads },
    machine: info,
    skipped,
    blas: blas.verdicts,
    openblas_coretype_forced: openblasCore,
    targets_not_judged: blas.refusal,
    rows,
  };
  if (o.out) writeFileSync(o.out, JSON.stringify(output, null, 2) + '\n');

  const targets = rows.map((r) => ({ r, t: target(r) })).filter((x) => x.t);
  const md = [
    `Last run: ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${o.rounds} rounds × ${o.blocks} blocks of ~${o.blockSeconds} s per row, ${o.threads} thread${o.threads > 1 ? 's' : ''} for every implementation.`,
    '',
    `Machine: ${info.cpu}, ${info.cores} cores, ${info.memory_gb} GB; Node ${info.node}; ${Object.entries(versions).filter(([k]) => k !== 'node').map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    `Matmul peak (${info.peak_by ?? 'not measured'}): ${peak ? `${peak.gflops.float32.toFixed(1)} GFLOP/s f32, ${peak.gflops.float64.toFixed(1)} GFLOP/s f64` : '—'}${peak?.blas ? `; ${peak.blas}` : ''}.`,
    `Load average (1 min) before and after each round: ${info.load_average_1min.join(', ')} (2 cores: above ~1 means other processes competed for them).`,
    `BLAS actually loaded (${join('bench', 'step.py')} probe of /proc/self/maps after a matmul): ${blas.verdicts.length ? blas.verdicts.map((v) => `${v.lib}: ${v.name}`).join('; ') : 'not probed (numpy and torch skipped)'}${openblasCore ? ` (OPENBLAS_CORETYPE=${openblasCore} forced: OpenBLAS picked its generic kernel on this CPU)` : ''}.`,
    ...(blas.refusal ? ['', `**Targets not judged:** ${blas.refusal}.`] : []),
    ...(Object.keys(skipped).length ? ['', `Skipped: ${Object.entries(skipped).map(([k, v]) => `${k} (${v})`).join('; ')}.`] : []),
    '',
    table(rows, blas.refusal),
    '',
    'ms/step: wall time, median over rounds of each round\'s median block. noise: ±half the spread (max − min) of the round medians, relative to the median. CPU ms/step: the process\'s CPU time per step (median), less sensitive to other load. Ratios: this row\'s ms/step divided by torch f32\'s (resp. numpy f64\'s) at the same size; below 1 means faster.',
    '',
    'The targets on both clocks (wall time is what the targets are stated in; CPU time shows how much of a miss is load from other processes):',
    '',
    '| target | n | d | m | wall ratio | CPU ratio |',
    '| --- | --- | --- | --- | --- | --- |',
    ...targets.map(({ r, t }) => {
      const f64 = r.implementation === 'provably-f64';
      return `| ${r.implementation} ${t!.target} | ${r.n} | ${r.d} | ${r.m} | ${fmtRatio(f64 ? r.ratio_vs_numpy_f64 : r.ratio_vs_torch_f32)} ${blas.refusal ? 'not judged' : t!.met ? 'met' : 'MISSED'} | ${fmtRatio((f64 ? r.cpu_ratio_vs_numpy_f64 : r.cpu_ratio_vs_torch_f32) ?? null)} |`;
    }),
    '',
    targetsLine(targets.map(({ r, t }) => ({ met: t!.met, what: `${r.implementation} at m = ${r.m}${r.d !== 16 ? ` (n = ${r.n}, d = ${r.d})` : ''} (${fmtRatio(r.implementation === 'provably-f64' ? r.ratio_vs_numpy_f64 : r.ratio_vs_torch_f32)})` })), blas.refusal),
  ].join('\n');
  if (o.markdown) writeMarkdown(o.markdown, md);
  const wrote = [o.out, o.markdown].filter(Boolean);
  process.stdout.write(`\n${md}\n\n${wrote.length ? `wrote ${wrote.join(' and ')}` : 'a subset run (--impl/--size): nothing written (give --out/--markdown to keep it)'}\n`);
}

await main();
