"""
One full-batch GD step of the two-layer ReLU net (Du et al. 2019: only W trained, a fixed),
in numpy (hand-written gradient) or PyTorch (autograd), timed in blocks after warm-up.

    /usr/bin/python3 bench/step.py '{"impl": "numpy", "dtype": "float64", "n": 64, "d": 16, "m": 4096, ...}'
    /usr/bin/python3 bench/step.py '{"impl": "peak", "threads": 1}'

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


def blas_config():
    """The BLAS numpy actually loaded, and for OpenBLAS the kernel it chose (e.g. 'Zen')."""
    import ctypes
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({l.split()[-1] for l in f if "blas" in l and ".so" in l})
        for p in paths:
            lib = ctypes.CDLL(p)
            if hasattr(lib, "openblas_get_config"):
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_get_corename.restype = ctypes.c_char_p
                return f"{lib.openblas_get_config().decode()} (core {lib.openblas_get_corename().decode()})"
        return "BLAS: " + ", ".join(paths)
    except Exception as e:  # informational only
        return f"unknown ({e})"


def main():
    cfg = json.loads(sys.argv[1])
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
