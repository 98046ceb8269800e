/*
 * The float64 step of the two-layer ReLU network (src/models/two-layer-relu.ts), compiled to
 * WebAssembly with SIMD128 by scripts/build-kernels.sh. It computes exactly what the TypeScript
 * loops of TwoLayerF64Stepper compute, in the same order, so the results are bit-identical:
 *   - vectors run across independent sums (over samples i in the forward pass, over input
 *     coordinates c in the backward pass); each lane adds its terms in the same order as the
 *     scalar loop, starting from 0;
 *   - wasm SIMD128 has no fused multiply-add, and -ffp-contract=off keeps clang from forming one.
 * Arrays are float64, row-major, at byte offsets in this module's memory chosen by the caller.
 */
#include <wasm_simd128.h>

typedef double f64;

#define EXPORT(name) __attribute__((export_name(name)))

/* res_i += a_r z_ir where z_ir > 0 (for 2 samples); elsewhere += +0, which leaves res_i unchanged. */
static inline void accumulate(f64 *res, v128_t av, v128_t z) {
  const v128_t contrib = wasm_v128_and(wasm_f64x2_mul(av, z), wasm_f64x2_gt(z, wasm_f64x2_splat(0.0)));
  wasm_v128_store(res, wasm_f64x2_add(wasm_v128_load(res), contrib));
}

/* Pre-activations of units r..r+U-1 (U = 1 or 2) on every sample, and their share of the outputs. */
static inline void forward_units(int U, int n, int d, const f64 *XT, const f64 *w, const f64 *a, f64 *z, f64 *res) {
  const v128_t zero = wasm_f64x2_splat(0.0);
  const int n8 = n & ~7;
  int i = 0;
  for (; i < n8; i += 8) {
    v128_t p0 = zero, p1 = zero, p2 = zero, p3 = zero; /* unit 0, samples i..i+7 */
    v128_t q0 = zero, q1 = zero, q2 = zero, q3 = zero; /* unit 1 */
    for (int c = 0; c < d; c++) {
      const f64 *x = XT + (long)c * n + i;
      const v128_t x0 = wasm_v128_load(x), x1 = wasm_v128_load(x + 2), x2 = wasm_v128_load(x + 4), x3 = wasm_v128_load(x + 6);
      const v128_t wa = wasm_f64x2_splat(w[c]);
      p0 = wasm_f64x2_add(p0, wasm_f64x2_mul(wa, x0));
      p1 = wasm_f64x2_add(p1, wasm_f64x2_mul(wa, x1));
      p2 = wasm_f64x2_add(p2, wasm_f64x2_mul(wa, x2));
      p3 = wasm_f64x2_add(p3, wasm_f64x2_mul(wa, x3));
      if (U == 2) {
        const v128_t wb = wasm_f64x2_splat(w[d + c]);
        q0 = wasm_f64x2_add(q0, wasm_f64x2_mul(wb, x0));
        q1 = wasm_f64x2_add(q1, wasm_f64x2_mul(wb, x1));
        q2 = wasm_f64x2_add(q2, wasm_f64x2_mul(wb, x2));
        q3 = wasm_f64x2_add(q3, wasm_f64x2_mul(wb, x3));
      }
    }
    wasm_v128_store(z + i, p0);
    wasm_v128_store(z + i + 2, p1);
    wasm_v128_store(z + i + 4, p2);
    wasm_v128_store(z + i + 6, p3);
    const v128_t av = wasm_f64x2_splat(a[0]);
    accumulate(res + i, av, p0);
    accumulate(res + i + 2, av, p1);
    accumulate(res + i + 4, av, p2);
    accumulate(res + i + 6, av, p3);
    if (U == 2) {
      wasm_v128_store(z + n + i, q0);
      wasm_v128_store(z + n + i + 2, q1);
      wasm_v128_store(z + n + i + 4, q2);
      wasm_v128_store(z + n + i + 6, q3);
      const v128_t bv = wasm_f64x2_splat(a[1]);
      accumulate(res + i, bv, q0);
      accumulate(res + i + 2, bv, q1);
      accumulate(res + i + 4, bv, q2);
      accumulate(res + i + 6, bv, q3);
    }
  }
  for (; i < n; i++) {
    for (int u = 0; u < U; u++) {
      f64 s = 0.0;
      for (int c = 0; c < d; c++) s += w[u * d + c] * XT[(long)c * n + i];
      z[u * n + i] = s;
      if (s > 0) res[i] += a[u] * s;
    }
  }
}

/*
 * Z = W Xᵀ stored unit-major (Z[r*n + i] = w_r·x_i), res = (1/√m) relu(Z)ᵀ a − y.
 * Returns ‖res‖². XT is Xᵀ (d×n). Units go two at a time so each load of Xᵀ serves both; the
 * residuals still accumulate unit by unit, in order.
 */
EXPORT("forward")
f64 forward(int n, int d, int m, const f64 *XT, const f64 *W, const f64 *a, const f64 *y, f64 *Z, f64 *res, f64 scale) {
  for (int i = 0; i < n; i++) res[i] = 0.0;
  int r = 0;
  for (; r + 2 <= m; r += 2) forward_units(2, n, d, XT, W + (long)r * d, a + r, Z + (long)r * n, res);
  if (r < m) forward_units(1, n, d, XT, W + (long)r * d, a + r, Z + (long)r * n, res);
  f64 r2 = 0.0;
  for (int i = 0; i < n; i++) {
    res[i] = res[i] * scale - y[i];
    r2 += res[i] * res[i];
  }
  return r2;
}

/* The gradient step of units r..r+U-1 (U = 1 or 2); q holds U×n scratch. */
static inline void update_units(int U, int n, int d, const f64 *X, f64 *w, f64 *a, const f64 *z, const f64 *res, f64 *q, f64 eta, f64 scale, int both) {
  const v128_t zero = wasm_f64x2_splat(0.0);
  f64 ga[2] = {0.0, 0.0};
  for (int u = 0; u < U; u++)
    for (int i = 0; i < n; i++) {
      const f64 zi = z[u * n + i];
      q[u * n + i] = zi >= 0 ? res[i] : 0.0;
      if (zi > 0) ga[u] += res[i] * zi;
    }
  const f64 coef0 = eta * scale * a[0];
  const f64 coef1 = U == 2 ? eta * scale * a[1] : 0.0;
  const v128_t c0v = wasm_f64x2_splat(coef0), c1v = wasm_f64x2_splat(coef1);
  int c = 0;
  for (; c + 8 <= d; c += 8) {
    v128_t g0 = zero, g1 = zero, g2 = zero, g3 = zero;
    v128_t h0 = zero, h1 = zero, h2 = zero, h3 = zero;
    for (int i = 0; i < n; i++) {
      const f64 *x = X + (long)i * d + c;
      const v128_t x0 = wasm_v128_load(x), x1 = wasm_v128_load(x + 2), x2 = wasm_v128_load(x + 4), x3 = wasm_v128_load(x + 6);
      const v128_t qa = wasm_f64x2_splat(q[i]);
      g0 = wasm_f64x2_add(g0, wasm_f64x2_mul(qa, x0));
      g1 = wasm_f64x2_add(g1, wasm_f64x2_mul(qa, x1));
      g2 = wasm_f64x2_add(g2, wasm_f64x2_mul(qa, x2));
      g3 = wasm_f64x2_add(g3, wasm_f64x2_mul(qa, x3));
      if (U == 2) {
        const v128_t qb = wasm_f64x2_splat(q[n + i]);
        h0 = wasm_f64x2_add(h0, wasm_f64x2_mul(qb, x0));
        h1 = wasm_f64x2_add(h1, wasm_f64x2_mul(qb, x1));
        h2 = wasm_f64x2_add(h2, wasm_f64x2_mul(qb, x2));
        h3 = wasm_f64x2_add(h3, wasm_f64x2_mul(qb, x3));
      }
    }
    wasm_v128_store(w + c, wasm_f64x2_sub(wasm_v128_load(w + c), wasm_f64x2_mul(c0v, g0)));
    wasm_v128_store(w + c + 2, wasm_f64x2_sub(wasm_v128_load(w + c + 2), wasm_f64x2_mul(c0v, g1)));
    wasm_v128_store(w + c + 4, wasm_f64x2_sub(wasm_v128_load(w + c + 4), wasm_f64x2_mul(c0v, g2)));
    wasm_v128_store(w + c + 6, wasm_f64x2_sub(wasm_v128_load(w + c + 6), wasm_f64x2_mul(c0v, g3)));
    if (U == 2) {
      f64 *v = w + d;
      wasm_v128_store(v + c, wasm_f64x2_sub(wasm_v128_load(v + c), wasm_f64x2_mul(c1v, h0)));
      wasm_v128_store(v + c + 2, wasm_f64x2_sub(wasm_v128_load(v + c + 2), wasm_f64x2_mul(c1v, h1)));
      wasm_v128_store(v + c + 4, wasm_f64x2_sub(wasm_v128_load(v + c + 4), wasm_f64x2_mul(c1v, h2)));
      wasm_v128_store(v + c + 6, wasm_f64x2_sub(wasm_v128_load(v + c + 6), wasm_f64x2_mul(c1v, h3)));
    }
  }
  for (int u = 0; u < U; u++) {
    const f64 coef = u == 0 ? coef0 : coef1;
    const v128_t cv = wasm_f64x2_splat(coef);
    f64 *wu = w + u * d;
    const f64 *qu = q + u * n;
    int cc = c;
    for (; cc + 2 <= d; cc += 2) {
      v128_t g = zero;
      for (int i = 0; i < n; i++) g = wasm_f64x2_add(g, wasm_f64x2_mul(wasm_f64x2_splat(qu[i]), wasm_v128_load(X + (long)i * d + cc)));
      wasm_v128_store(wu + cc, wasm_f64x2_sub(wasm_v128_load(wu + cc), wasm_f64x2_mul(cv, g)));
    }
    for (; cc < d; cc++) {
      f64 g = 0.0;
      for (int i = 0; i < n; i++) g += qu[i] * X[(long)i * d + cc];
      wu[cc] -= coef * g;
    }
    if (both) a[u] -= eta * scale * ga[u];
  }
}

/*
 * One gradient step from the residuals of `forward`:
 *   w_r -= η (1/√m) a_r Σ_i res_i 1{z_ir ≥ 0} x_i,   and when `both`,  a_r -= η (1/√m) Σ_i res_i relu(z_ir).
 * q (2n) is scratch. Units go two at a time so each load of X serves both.
 */
EXPORT("update")
void update(int n, int d, int m, const f64 *X, f64 *W, f64 *a, const f64 *Z, const f64 *res, f64 *q, f64 eta, f64 scale, int both) {
  int r = 0;
  for (; r + 2 <= m; r += 2) update_units(2, n, d, X, W + (long)r * d, a + r, Z + (long)r * n, res, q, eta, scale, both);
  if (r < m) update_units(1, n, d, X, W + (long)r * d, a + r, Z + (long)r * n, res, q, eta, scale, both);
}
