// The bench's BLAS check (bench/blas.ts), without running the bench: numpy and torch on Debian's
// reference BLAS must not be judged against, and RESULTS.md must say why.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { betterOpenblasCore, blasRefusal, classifyBlas, targetsLine, type BlasProbe } from '../bench/blas.ts';

const reference: BlasProbe = { lib: 'numpy', libraries: ['/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0', '/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3.11.0'], openblas: [] };
const openblas: BlasProbe = {
  lib: 'torch',
  libraries: ['/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3'],
  openblas: [{ path: '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3', config: 'OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64' }],
};
const met = [{ met: true, what: 'provably-tfjs-f32 at m = 256 (0.22×)' }, { met: true, what: 'provably-f64 at m = 4096 (0.30×)' }];

describe('the bench judges its targets only on an optimised BLAS', () => {
  it("Debian's reference libblas3 is not optimised, and the reason names the library", () => {
    const v = classifyBlas(reference);
    expect(v.optimised).toBe(false);
    expect(v.why).toContain('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0');
    expect(v.why).toContain('not OpenBLAS');
  });

  it('a library exporting openblas_get_config is OpenBLAS, named by its config', () => {
    const v = classifyBlas(openblas);
    expect(v).toMatchObject({ optimised: true, name: expect.stringContaining('OpenBLAS 0.3.21') });
  });

  it('a failed probe, or no BLAS found, is not taken as optimised', () => {
    expect(classifyBlas({ lib: 'torch', libraries: [], openblas: [], error: "ModuleNotFoundError: No module named 'torch'" }).optimised).toBe(false);
    expect(classifyBlas({ lib: 'numpy', libraries: [], openblas: [] }).optimised).toBe(false);
  });

  it('one library on the reference BLAS is enough to refuse; RESULTS.md says why and reports nothing met', () => {
    const refusal = blasRefusal([classifyBlas(openblas), classifyBlas(reference)]);
    expect(refusal).toContain('numpy runs on /usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0');
    const line = targetsLine(met, refusal);
    expect(line).toMatch(/^Targets: not judged\. numpy runs on/);
    expect(line).not.toMatch(/\bmet\b/);
    expect(line).toContain('libopenblas0-pthread');
  });

  it('on OpenBLAS everywhere the targets are judged', () => {
    const refusal = blasRefusal([classifyBlas(openblas), classifyBlas({ ...openblas, lib: 'numpy' })]);
    expect(refusal).toBeNull();
    expect(targetsLine(met, refusal)).toBe('Targets: 2 of 2 met.');
    expect(targetsLine([met[0], { met: false, what: 'provably-f64 at m = 4096 (1.9×)' }], null)).toBe('Targets: 1 of 2 met; missed: provably-f64 at m = 4096 (1.9×).');
  });

  // The probe itself, on whichever python on this machine has numpy (bench/step.py reads
  // /proc/self/maps after a matmul and asks each BLAS library for its OpenBLAS config).
  const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0);
  it.skipIf(!python)(`the probe names the BLAS numpy loaded (${python ?? 'no python with numpy here'})`, () => {
    const r = spawnSync(python!, ['bench/step.py', JSON.stringify({ impl: 'blas', lib: 'numpy' })], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const probe = JSON.parse(r.stdout) as BlasProbe;
    expect(probe.error).toBeUndefined();
    expect(probe.libraries.length).toBeGreaterThan(0);
    const v = classifyBlas(probe);
    // Whatever it is, the verdict must agree with what the library says of itself.
    expect(v.optimised).toBe(probe.openblas.length > 0 || probe.libraries.some((l) => /libmkl_/.test(l)));
  });
});

describe('an OpenBLAS that misdetects the CPU is given the right kernel', () => {
  const avx512 = 'fpu sse sse2 ssse3 fma sse4_1 avx avx2 avx512f avx512dq avx512cd avx512bw avx512vl';
  it("forces SkylakeX on an AVX-512 CPU when OpenBLAS fell back to Prescott, Haswell on an AVX2 one, and nothing when it chose a real core or the CPU has neither", () => {
    const config = (core: string) => `OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY ${core} MAX_THREADS=64`;
    expect(betterOpenblasCore(config('Prescott'), avx512)).toBe('SkylakeX');
    expect(betterOpenblasCore(config('Prescott'), 'fpu sse sse2 fma avx avx2')).toBe('Haswell');
    expect(betterOpenblasCore(config('Prescott'), 'fpu sse sse2 ssse3')).toBeNull();
    expect(betterOpenblasCore(config('Zen'), avx512)).toBeNull();
    expect(betterOpenblasCore(config('SkylakeX'), avx512)).toBeNull();
    expect(betterOpenblasCore(config('Prescott'), 'avx512fx avx2')).toBeNull(); // flags match whole words only
  });
});
