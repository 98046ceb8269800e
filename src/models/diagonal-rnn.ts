/**
 * A recurrent network with a diagonal (or, as a mutation, full) hidden-to-hidden matrix, in
 * float64: h_t = tanh(W h_{t−1} + U x_t), h_0 = 0, f_T = (1/√m) cᵀh_T. `sensitivities` returns, for
 * every sequence length T, how strongly the output depends on the first input: ‖∂f_T/∂x_1‖₂, by the
 * forward recursion J_1 = D_1 U, J_t = D_t W J_{t−1} (D_t = diag tanh′(z_t)).
 */
export interface Rnn {
  readonly m: number;
  readonly d: number;
  /** m×m row-major; a diagonal network has zeros off the diagonal. */
  readonly W: Float64Array;
  /** m×d row-major. */
  readonly U: Float64Array;
  readonly c: Float64Array;
}

/** ‖∂f_T/∂x_1‖₂ for T = 1..X.length/d (X: T×d inputs, row-major), and the largest |pre-activation|. */
export function sensitivities(net: Rnn, X: Float64Array): { S: Float64Array; maxPre: number } {
  const { m, d, W, U, c } = net;
  const T = X.length / d;
  const diagonal = W.every((v, q) => v === 0 || q % (m + 1) === 0);
  let h = new Float64Array(m);
  let J = new Float64Array(m * d);
  const S = new Float64Array(T);
  let maxPre = 0;
  for (let t = 0; t < T; t++) {
    const z = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      if (diagonal) s = W[i * m + i] * h[i];
      else for (let j = 0; j < m; j++) s += W[i * m + j] * h[j];
      for (let k = 0; k < d; k++) s += U[i * d + k] * X[t * d + k];
      z[i] = s;
      maxPre = Math.max(maxPre, Math.abs(s));
    }
    const next = new Float64Array(m * d);
    for (let i = 0; i < m; i++) {
      const slope = 1 - Math.tanh(z[i]) ** 2;
      for (let k = 0; k < d; k++) {
        let s = 0;
        if (t === 0) s = U[i * d + k];
        else if (diagonal) s = W[i * m + i] * J[i * d + k];
        else for (let j = 0; j < m; j++) s += W[i * m + j] * J[j * d + k];
        next[i * d + k] = slope * s;
      }
    }
    J = next;
    h = z.map(Math.tanh);
    let norm2 = 0;
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += c[i] * J[i * d + k];
      norm2 += (s / Math.sqrt(m)) ** 2;
    }
    S[t] = Math.sqrt(norm2);
  }
  return { S, maxPre };
}
