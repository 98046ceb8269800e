/**
 * Which BLAS numpy and PyTorch actually loaded, and whether the bench may judge its targets on it.
 * The targets are ratios to numpy and torch; on Debian's reference BLAS (libblas3, no OpenBLAS)
 * a 2048² matmul runs at ~4 GFLOP/s instead of ~80, and every target would be "met" against a
 * straw man. So the bench installs libopenblas0-pthread when the loaded BLAS is not OpenBLAS
 * (bench/run.ts), asks again, and refuses to judge if it still is not.
 *
 * The probe (`bench/step.py '{"impl": "blas", "lib": "numpy"}'`) reports the shared objects
 * mapped into the process after a matmul (/proc/self/maps) and, for each that exports an OpenBLAS
 * config function, its config string. The decision is made here, from that report alone.
 */
export interface BlasProbe {
  /** 'numpy' or 'torch': the library whose process was probed. */
  readonly lib: string;
  /** Shared objects with blas, lapack, mkl or openblas in their path, mapped after a matmul. */
  readonly libraries: readonly string[];
  /** For a library exporting openblas_get_config (or a suffixed variant): its config string. */
  readonly openblas: readonly { readonly path: string; readonly config: string }[];
  /** An error the probe hit (import failed, no /proc). */
  readonly error?: string;
}

export interface BlasVerdict {
  readonly lib: string;
  readonly optimised: boolean;
  /** What was loaded, in words: 'OpenBLAS 0.3.21 ... (core Zen)' or 'reference BLAS /usr/lib/.../libblas.so.3'. */
  readonly name: string;
  /** Why it does not count as optimised (only when optimised is false). */
  readonly why?: string;
}

const MKL = /libmkl_(rt|core|intel)/;

export function classifyBlas(p: BlasProbe): BlasVerdict {
  if (p.error) return { lib: p.lib, optimised: false, name: 'unknown', why: `${p.lib}: the BLAS probe failed (${p.error})` };
  if (p.openblas.length > 0) return { lib: p.lib, optimised: true, name: p.openblas[0].config };
  const mkl = p.libraries.find((l) => MKL.test(l));
  if (mkl) return { lib: p.lib, optimised: true, name: `MKL (${mkl})` };
  if (p.libraries.length === 0)
    return { lib: p.lib, optimised: false, name: 'none found', why: `${p.lib} mapped no BLAS library that the probe could name (statically linked, or an unknown BLAS): cannot tell which BLAS it runs on` };
  const names = p.libraries.join(', ');
  return { lib: p.lib, optimised: false, name: `reference BLAS (${names})`, why: `${p.lib} runs on ${names}, which is not OpenBLAS (no openblas_get_config): Debian's reference BLAS, tens of times slower than OpenBLAS` };
}

/** The targets may be judged only when every probed library runs on an optimised BLAS. */
export function blasRefusal(verdicts: readonly BlasVerdict[]): string | null {
  const bad = verdicts.filter((v) => !v.optimised);
  return bad.length === 0 ? null : bad.map((v) => v.why!).join('; ');
}

/** The "Targets: ..." line of RESULTS.md. */
export function targetsLine(targets: readonly { readonly met: boolean; readonly what: string }[], refusal: string | null): string {
  if (refusal) return `Targets: not judged. ${refusal}: against it the anchors are a straw man, so no target is judged. Install libopenblas0-pthread (apt-get install libopenblas0-pthread) and run again.`;
  if (targets.length === 0) return 'Targets: not assessed (they are ratios to the skipped numpy and PyTorch rows).';
  const missed = targets.filter((t) => !t.met);
  return `Targets: ${targets.length - missed.length} of ${targets.length} met${missed.length ? `; missed: ${missed.map((t) => t.what).join(', ')}` : ''}.`;
}

/**
 * OpenBLAS's DYNAMIC_ARCH picks its kernels by CPU model; a model it does not know (Debian's
 * 0.3.21 on a 5th-generation Xeon, family 6 model 207) gets its generic SSE3 `Prescott` kernels,
 * which ran a 2048² float32 matmul at about 50 GFLOP/s against about 65 with `SkylakeX` on the
 * same AVX-512 machine: an anchor slowed by a misdetection. When the config names a generic core
 * and the CPU's flags (from /proc/cpuinfo) support a better one, this returns the core to force
 * with OPENBLAS_CORETYPE; else null.
 */
const GENERIC_CORES = /\b(Prescott|Core2|Katmai|Coppermine|Northwood|Banias|Penryn|Dunnington)\b/;

export function betterOpenblasCore(config: string, cpuFlags: string): string | null {
  if (!GENERIC_CORES.test(config)) return null;
  const has = (f: string) => new RegExp(`(^|\\s)${f}(\\s|$)`).test(cpuFlags);
  if (['avx512f', 'avx512bw', 'avx512vl', 'avx512dq', 'avx512cd'].every(has)) return 'SkylakeX';
  if (['avx2', 'fma'].every(has)) return 'Haswell';
  return null;
}
