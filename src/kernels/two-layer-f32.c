/*
 * The float32 full-batch GD step of the two-layer ReLU network (src/models/two-layer-relu.ts,
 * TwoLayerWasmF32Stepper), compiled to WebAssembly SIMD128 by scripts/build-kernels.sh: the
 * forward pass, the residuals, the gradient in W (and a) and the update, in two calls per step,
 * with no tensor dispatch. It does what TwoLayerTfjsStepper does in float32, but in its own
 * summation order, so it agrees with TensorFlow.js to float32 accuracy, not bit for bit.
 *
 * Layout (chosen by the caller, all float32, row-major, byte offsets into this module's memory):
 *   n4 = n rounded up to 4, d4 = d rounded up to 4; the padding is zeros and stays zero
 *   (a zero sample has z = 0, residual 0 and adds 0 to every gradient; a zero input coordinate
 *   has gradient 0, so its weight stays 0 and adds 0 to every pre-activation).
 *   XT  d×n4  inputs transposed (forward: vectors run across 4 samples)
 *   X   n×d4  inputs (backward: vectors run across 4 input coordinates)
 *   W   m×d4  first-layer weights, row r is w_r
 *   a   m, y n4, Z m×n4 (pre-activations, unit-major), res n4, q 4×n4 scratch.
 * Units go 4 at a time so each load of X or Xᵀ serves four of them. wasm SIMD128 has no fused
 * multiply-add, and -ffp-contract=off keeps clang from forming one: results are the same bytes
 * on every machine.
 */
#include <wasm_simd128.h>

typedef float f32;

#define EXPORT(name) __attribute__((export_name(name)))
#define UNROLL _Pragma("clang loop unroll(full)")

/*
 * Pre-activations of units r..r+U-1 on samples i..i+4V-1, stored in Z, and their share of the
 * outputs added to res: res_i += Σ_u a_u relu(z_ui).
 */
static inline __attribute__((always_inline)) void forward_block(int U, int V, int n4, int d, int d4, const f32 *XT, const f32 *w, const f32 *a, f32 *z, f32 *res, int i) {
  v128_t acc[4][4];
  UNROLL for (int u = 0; u < U; u++) UNROLL for (int v = 0; v < V; v++) acc[u][v] = wasm_f32x4_splat(0.0f);
  for (int c = 0; c < d; c++) {
    const f32 *x = XT + (long)c * n4 + i;
    v128_t xv[4];
    UNROLL for (int v = 0; v < V; v++) xv[v] = wasm_v128_load(x + 4 * v);
    UNROLL for (int u = 0; u < U; u++) {
      const v128_t wu = wasm_v128_load32_splat(w + (long)u * d4 + c);
      UNROLL for (int v = 0; v < V; v++) acc[u][v] = wasm_f32x4_add(acc[u][v], wasm_f32x4_mul(wu, xv[v]));
    }
  }
  const v128_t zero = wasm_f32x4_splat(0.0f);
  UNROLL for (int v = 0; v < V; v++) {
    v128_t s = wasm_v128_load(res + i + 4 * v);
    UNROLL for (int u = 0; u < U; u++) {
      wasm_v128_store(z + (long)u * n4 + i + 4 * v, acc[u][v]);
      /* relu as pmax(0, z) = (0 < z ? z : 0), the f64 engine's `if (z > 0)` */
      s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load32_splat(a + u), wasm_f32x4_pmax(zero, acc[u][v])));
    }
    wasm_v128_store(res + i + 4 * v, s);
  }
}

static inline __attribute__((always_inline)) void forward_units(int U, int n4, int d, int d4, const f32 *XT, const f32 *w, const f32 *a, f32 *z, f32 *res) {
  int i = 0;
  for (; i + 8 <= n4; i += 8) forward_block(U, 2, n4, d, d4, XT, w, a, z, res, i);
  if (i < n4) forward_block(U, 1, n4, d, d4, XT, w, a, z, res, i);
}

/*
 * Z = W Xᵀ (unit-major), res = (1/√m) relu(Z)ᵀ a − y. Returns ‖res‖², summed in float64 (the
 * residuals themselves are float32; the padding adds zeros).
 */
EXPORT("forward")
double forward(int n, int d, int m, const f32 *XT, const f32 *W, const f32 *a, const f32 *y, f32 *Z, f32 *res, f32 scale) {
  const int n4 = (n + 3) & ~3, d4 = (d + 3) & ~3;
  for (int i = 0; i < n4; i++) res[i] = 0.0f;
  int r = 0;
  for (; r + 4 <= m; r += 4) forward_units(4, n4, d, d4, XT, W + (long)r * d4, a + r, Z + (long)r * n4, res);
  for (; r < m; r++) forward_units(1, n4, d, d4, XT, W + (long)r * d4, a + r, Z + (long)r * n4, res);
  double r2 = 0.0;
  for (int i = 0; i < n4; i++) {
    res[i] = res[i] * scale - y[i];
    r2 += (double)res[i] * (double)res[i];
  }
  return r2;
}

/* w_u[c..c+4V) -= coef_u Σ_i q_u[i] x_i[c..c+4V) for units u < U. */
static inline __attribute__((always_inline)) void update_block(int U, int V, int n, int n4, int d4, const f32 *X, f32 *w, const f32 *q, const v128_t *coef, int c) {
  v128_t g[4][4];
  UNROLL for (int u = 0; u < U; u++) UNROLL for (int v = 0; v < V; v++) g[u][v] = wasm_f32x4_splat(0.0f);
  for (int i = 0; i < n; i++) {
    const f32 *x = X + (long)i * d4 + c;
    v128_t xv[4];
    UNROLL for (int v = 0; v < V; v++) xv[v] = wasm_v128_load(x + 4 * v);
    UNROLL for (int u = 0; u < U; u++) {
      const v128_t qu = wasm_v128_load32_splat(q + (long)u * n4 + i);
      UNROLL for (int v = 0; v < V; v++) g[u][v] = wasm_f32x4_add(g[u][v], wasm_f32x4_mul(qu, xv[v]));
    }
  }
  UNROLL for (int u = 0; u < U; u++) UNROLL for (int v = 0; v < V; v++) {
    f32 *p = w + (long)u * d4 + c + 4 * v;
    wasm_v128_store(p, wasm_f32x4_sub(wasm_v128_load(p), wasm_f32x4_mul(coef[u], g[u][v])));
  }
}

/*
 * The gradient step of units r..r+U-1:
 *   w_r -= η (1/√m) a_r Σ_i res_i 1{z_ir ≥ 0} x_i,   and when `both`,  a_r -= η (1/√m) Σ_i res_i relu(z_ir).
 */
static inline __attribute__((always_inline)) void update_units(int U, int n, int n4, int d4, const f32 *X, f32 *w, f32 *a, const f32 *z, const f32 *res, f32 *q, f32 eta, f32 scale, int both) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t coef[4];
  v128_t ga[4];
  UNROLL for (int u = 0; u < U; u++) {
    coef[u] = wasm_f32x4_splat(eta * scale * a[u]);
    ga[u] = zero;
  }
  /* q_u = 1{z_u ≥ 0} res (padded samples: res = 0) */
  for (int i = 0; i < n4; i += 4) {
    const v128_t rv = wasm_v128_load(res + i);
    UNROLL for (int u = 0; u < U; u++) {
      const v128_t zv = wasm_v128_load(z + (long)u * n4 + i);
      wasm_v128_store(q + (long)u * n4 + i, wasm_v128_and(rv, wasm_f32x4_ge(zv, zero)));
      if (both) ga[u] = wasm_f32x4_add(ga[u], wasm_f32x4_mul(rv, wasm_f32x4_pmax(zero, zv)));
    }
  }
  int c = 0;
  for (; c + 8 <= d4; c += 8) update_block(U, 2, n, n4, d4, X, w, q, coef, c);
  for (; c < d4; c += 4) update_block(U, 1, n, n4, d4, X, w, q, coef, c);
  if (both) {
    UNROLL for (int u = 0; u < U; u++) {
      const v128_t s = ga[u];
      const f32 sum = (wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1)) + (wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3));
      a[u] -= eta * scale * sum;
    }
  }
}

/* One gradient step from the residuals of `forward`; q (4·n4) is scratch. */
EXPORT("update")
void update(int n, int d, int m, const f32 *X, f32 *W, f32 *a, const f32 *Z, const f32 *res, f32 *q, f32 eta, f32 scale, int both) {
  const int n4 = (n + 3) & ~3, d4 = (d + 3) & ~3;
  int r = 0;
  for (; r + 4 <= m; r += 4) update_units(4, n, n4, d4, X, W + (long)r * d4, a + r, Z + (long)r * n4, res, q, eta, scale, both);
  for (; r < m; r++) update_units(1, n, n4, d4, X, W + (long)r * d4, a + r, Z + (long)r * n4, res, q, eta, scale, both);
}
