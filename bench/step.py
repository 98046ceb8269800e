"""
One full-batch GD step of the two-layer ReLU net (Du et al. 2019: only W trained, a fixed),
in numpy (hand-written gradient) or PyTorch (autograd), timed in blocks after warm-up.

    /usr/bin/python3 bench/step.py '{"impl": "numpy", "dtype": "float64", "n": 64, "d": 16, "m": 4096, ...}'
    /usr/bin/python3 bench/step.py '{"impl": "peak", "threads": 1}'
    /usr/bin/python3 bench/step.py '{"impl": "blas", "lib": "numpy"}'     # which BLAS it loaded

Prints one JSON object. Run it with Debian's python3 (python3-numpy, python3-torch,
libopenblas0-pthread); bench/run.ts does.
"""
import json
import resource
import sys
import time


def median(xs):
    s = sorted(xs)
    k = len(s) // 2
    return s[k] if len(s) % 2 else 0.5 * (s[k - 1] + s[k])


def data(np, n, d, m, dtype, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    y = rng.uniform(-1, 1, n)
    W = rng.standard_normal((m, d))
    a = np.where(rng.uniform(size=m) < 0.5, -1.0, 1.0)
    return [v.astype(dtype) for v in (X, y, W, a)]


def numpy_stepper(cfg):
    import numpy as np
    dtype = np.dtype(cfg["dtype"])
    X, y, W, a = data(np, cfg["n"], cfg["d"], cfg["m"], dtype)
    s = dtype.type(1 / np.sqrt(cfg["m"]))
    eta = dtype.type(cfg["eta"])
    a_s = a * s

    def step():
        Z = X @ W.T                      # n×m
        H = np.maximum(Z, 0)
        r = H @ a_s - y                  # n
        loss = float(r @ r)
        G = (Z > 0) * (r[:, None] * a_s[None, :])
        W[...] -= eta * (G.T @ X)        # m×d, in place
        return loss

    return step


def torch_stepper(cfg):
    import numpy as np
    import torch
    torch.set_num_threads(cfg["threads"])
    dtype = {"float32": torch.float32, "float64": torch.float64}[cfg["dtype"]]
    X, y, W, a = (torch.tensor(v, dtype=dtype) for v in data(np, cfg["n"], cfg["d"], cfg["m"], np.float64))
    W.requires_grad_(True)
    s = 1 / np.sqrt(cfg["m"])
    eta = cfg["eta"]

    def step():
        u = torch.relu(X @ W.T) @ a * s
        loss = 0.5 * ((u - y) ** 2).sum()
        loss.backward()
        with torch.no_grad():
            W.sub_(eta * W.grad)
        W.grad = None
        return 2 * loss.item()

    return step


def timed(step, cfg):
    # Warm-up, then size the blocks to about `blockSeconds` each.
    t0 = time.perf_counter()
    k = 0
    while k < 3 or time.perf_counter() - t0 < cfg["warmupSeconds"]:
        step()
        k += 1
    per = (time.perf_counter() - t0) / k
    steps = max(1, int(round(cfg["blockSeconds"] / per)))
    blocks, cpu = [], []
    for _ in range(cfg["blocks"]):
        t = time.perf_counter()
        c = time.process_time()
        for _ in range(steps):
            loss = step()
        cpu.append((time.process_time() - c) * 1000 / steps)
        blocks.append((time.perf_counter() - t) * 1000 / steps)
    if loss != loss:
        raise SystemExit("the loss became NaN during the bench")
    return {"ms_per_step": median(blocks), "cpu_ms_per_step": median(cpu), "blocks": blocks, "steps_per_block": steps}


def peak(cfg):
    import numpy as np
    out = {}
    size = 2048
    for dt in ("float32", "float64"):
        rng = np.random.default_rng(0)
        A = rng.standard_normal((size, size)).astype(dt)
        B = rng.standard_normal((size, size)).astype(dt)
        A @ B
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            A @ B
            best = min(best, time.perf_counter() - t)
        out[dt] = 2 * size**3 / best / 1e9
    return {"gflops": out, "size": size, "by": f"numpy {size}x{size} matmul, best of 5", "blas": blas_config()}


BLAS_WORDS = ("blas", "lapack", "mkl")
OPENBLAS_CONFIG = ("openblas_get_config", "openblas_get_config64_", "scipy_openblas_get_config64_", "scipy_openblas_get_config")


def blas_probe(cfg):
    """Which BLAS the process actually loaded after a matmul: bench/blas.ts decides from this."""
    import ctypes
    lib = cfg.get("lib", "numpy")
    out = {"lib": lib, "libraries": [], "openblas": []}
    try:
        import numpy as np
        a = np.ones((64, 64))
        a @ a
        if lib == "torch":
            import torch
            t = torch.ones((64, 64), dtype=torch.float64)
            t @ t
        with open("/proc/self/maps") as f:
            paths = sorted({l.split()[-1] for l in f if ".so" in l and any(w in l.split()[-1].lower() for w in BLAS_WORDS)})
        out["libraries"] = paths
        for p in paths:
            try:
                so = ctypes.CDLL(p)
            except OSError:
                continue
            for name in OPENBLAS_CONFIG:
                fn = getattr(so, name, None)
                if fn is not None:
                    fn.restype = ctypes.c_char_p
                    out["openblas"].append({"path": p, "config": fn().decode()})
                    break
    except Exception as e:
        out["error"] = f"{type(e).__name__}: {e}"
    return out


def blas_config():
    """The BLAS numpy loaded, in words, for the peak line (bench/blas.ts judges from blas_probe)."""
    p = blas_probe({"lib": "numpy"})
    if p["openblas"]:
        return p["openblas"][0]["config"]
    return "BLAS: " + (", ".join(p["libraries"]) or p.get("error", "none found"))


def main():
    cfg = json.loads(sys.argv[1])
    if cfg["impl"] == "blas":
        print(json.dumps(blas_probe(cfg)))
        return
    if cfg["impl"] == "peak":
        res = peak(cfg)
    else:
        step = numpy_stepper(cfg) if cfg["impl"] == "numpy" else torch_stepper(cfg)
        res = timed(step, cfg)
    import numpy
    res["versions"] = {"numpy": numpy.__version__}
    if cfg["impl"] == "torch":
        import torch
        res["versions"]["torch"] = torch.__version__
    res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(res))


main()
