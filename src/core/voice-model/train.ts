/**
 * Trainer of the institutional-voice model: L2-regularised, class-weighted logistic regression
 * over sparse vectors, minimised with L-BFGS (two-loop recursion, backtracking Armijo line
 * search). Deterministic: the same documents in the same order give the same numbers.
 *
 * Optionally NB-LR (Wang & Manning 2012, "NBSVM" with a logistic loss): each column is first
 * scaled by its log-count ratio r = log((α + Σ₊x / ‖·‖₁) / (α + Σ₋x / ‖·‖₁)), so the L2 penalty
 * is light on columns that tell the classes apart and heavy on those both classes use alike.
 * The scaling is folded back into the weights (w·(r⊙x) = (w⊙r)·x): the model file and the rule
 * are unchanged.
 *
 * No maintained npm package trains a sparse logistic regression over 2^18 hashed buckets
 * (the mljs packages are dense), so this small one is tested against known results instead:
 * a gradient check and a separable toy set (test beside this file).
 */
import { dimension, FeatureOptions } from './features';
import { sigmoid, vectorize, VoiceModel } from './model';

export interface TrainDoc {
  counts: ReadonlyMap<number, number>;
  /** 1 = institutional, 0 = conversational. */
  y: 0 | 1;
  /** Extra weight of this document (1 by default). */
  weight?: number;
}

export interface TrainOptions {
  opts: FeatureOptions;
  /** L2 strength on the weights (not the bias). */
  lambda: number;
  styleScale: number;
  /** Weight the classes so each counts as much as the other. */
  balance: boolean;
  maxIter?: number;
  threshold?: number;
  /** NB-LR: scale each column by its log-count ratio with this smoothing α (off when absent or 0). */
  nbAlpha?: number;
  /**
   * Add a multinomial naive Bayes over the same vectors to the fitted weights: w += weight × r,
   * r the log-ratio of each column's smoothed share of the class-mean institutional vector over
   * its share of the class-mean conversational one (smoothing `alpha`). NB is the less
   * overfitted of the two on sources it never saw; the sum is still one linear model.
   */
  mnb?: { alpha: number; weight: number };
}

/**
 * Log-count ratio of every compact column (NB-LR): log of the column's smoothed share of the
 * institutional documents' values over its share of the conversational ones'.
 */
export function logCountRatios(rows: Rows, y: Float64Array, ncol: number, alpha: number): Float64Array {
  const p = new Float64Array(ncol).fill(alpha);
  const q = new Float64Array(ncol).fill(alpha);
  for (let i = 0; i < y.length; i++) {
    const into = y[i] === 1 ? p : q;
    for (let k = rows.ptr[i]; k < rows.ptr[i + 1]; k++) into[rows.col[k]] += Math.abs(rows.val[k]);
  }
  let sp = 0;
  let sq = 0;
  for (let j = 0; j < ncol; j++) {
    sp += p[j];
    sq += q[j];
  }
  const r = new Float64Array(ncol);
  for (let j = 0; j < ncol; j++) r[j] = Math.log(p[j] / sp / (q[j] / sq));
  return r;
}

/**
 * Multinomial naive Bayes log-ratios of every compact column over class-mean vectors (each
 * class weighs the same whatever its size): log((α + P̄ⱼ) / Σ(α + P̄) ÷ (α + Q̄ⱼ) / Σ(α + Q̄)).
 */
export function mnbRatios(rows: Rows, y: Float64Array, ncol: number, alpha: number): Float64Array {
  const p = new Float64Array(ncol);
  const q = new Float64Array(ncol);
  let np = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) np++;
  const nq = y.length - np;
  for (let i = 0; i < y.length; i++) {
    const into = y[i] === 1 ? p : q;
    const share = 1 / (y[i] === 1 ? np : nq);
    for (let k = rows.ptr[i]; k < rows.ptr[i + 1]; k++) into[rows.col[k]] += Math.abs(rows.val[k]) * share;
  }
  let sp = 0;
  let sq = 0;
  for (let j = 0; j < ncol; j++) {
    sp += p[j] + alpha;
    sq += q[j] + alpha;
  }
  const r = new Float64Array(ncol);
  for (let j = 0; j < ncol; j++) r[j] = Math.log((p[j] + alpha) / sp / ((q[j] + alpha) / sq));
  return r;
}

/** Sparse rows over compact column numbers. */
interface Rows {
  ptr: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

function idfOf(docs: readonly TrainDoc[], dim: number): { idf: Float32Array; unseen: number } {
  const df = new Map<number, number>();
  for (const d of docs) for (const b of d.counts.keys()) df.set(b, (df.get(b) ?? 0) + 1);
  const n = docs.length;
  const unseen = Math.log((1 + n) / 1) + 1;
  const idf = new Float32Array(dim).fill(unseen);
  for (const [b, c] of df) idf[b] = Math.log((1 + n) / (1 + c)) + 1;
  return { idf, unseen };
}

/** The objective: weighted mean log loss + λ/2 |w|² over compact columns; fills `grad`. */
export function objective(rows: Rows, y: Float64Array, cw: Float64Array, lambda: number, params: Float64Array, grad: Float64Array): number {
  const ncol = params.length - 1;
  const bias = params[ncol];
  grad.fill(0);
  let loss = 0;
  let wsum = 0;
  for (let i = 0; i < y.length; i++) wsum += cw[i];
  for (let i = 0; i < y.length; i++) {
    let z = bias;
    for (let k = rows.ptr[i]; k < rows.ptr[i + 1]; k++) z += params[rows.col[k]] * rows.val[k];
    const s = y[i] === 1 ? 1 : -1;
    const m = s * z;
    // log(1 + e^-m), stable
    loss += cw[i] * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
    const g = (cw[i] * -s * sigmoid(-m)) / wsum;
    for (let k = rows.ptr[i]; k < rows.ptr[i + 1]; k++) grad[rows.col[k]] += g * rows.val[k];
    grad[ncol] += g;
  }
  loss /= wsum;
  let reg = 0;
  for (let j = 0; j < ncol; j++) {
    reg += params[j] * params[j];
    grad[j] += lambda * params[j];
  }
  return loss + (lambda / 2) * reg;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Minimise `f` with L-BFGS from `x0`; returns the minimiser. */
export function lbfgs(f: (x: Float64Array, g: Float64Array) => number, x0: Float64Array, maxIter = 300, m = 10, tol = 1e-7): Float64Array {
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const xn = new Float64Array(n);
  const gn = new Float64Array(n);
  for (let it = 0; it < maxIter; it++) {
    // two-loop recursion: d = -H g
    d.set(g);
    const alpha = new Array<number>(S.length);
    for (let i = S.length - 1; i >= 0; i--) {
      alpha[i] = rho[i] * dot(S[i], d);
      for (let j = 0; j < n; j++) d[j] -= alpha[i] * Y[i][j];
    }
    if (S.length > 0) {
      const k = S.length - 1;
      const gamma = dot(S[k], Y[k]) / dot(Y[k], Y[k]);
      for (let j = 0; j < n; j++) d[j] *= gamma;
    }
    for (let i = 0; i < S.length; i++) {
      const beta = rho[i] * dot(Y[i], d);
      for (let j = 0; j < n; j++) d[j] += S[i][j] * (alpha[i] - beta);
    }
    for (let j = 0; j < n; j++) d[j] = -d[j];
    let slope = dot(g, d);
    if (slope >= 0) {
      // not a descent direction: restart from steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let j = 0; j < n; j++) d[j] = -g[j];
      slope = dot(g, d);
    }
    let step = it === 0 && S.length === 0 ? 1 / Math.max(1, Math.sqrt(dot(g, g))) : 1;
    let fn = 0;
    for (let ls = 0; ls < 40; ls++) {
      for (let j = 0; j < n; j++) xn[j] = x[j] + step * d[j];
      fn = f(xn, gn);
      if (fn <= fx + 1e-4 * step * slope) break;
      step /= 2;
    }
    const s = new Float64Array(n);
    const yv = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      s[j] = xn[j] - x[j];
      yv[j] = gn[j] - g[j];
    }
    const sy = dot(s, yv);
    const done = Math.abs(fx - fn) <= tol * Math.max(1, Math.abs(fx));
    x = Float64Array.from(xn);
    g = Float64Array.from(gn);
    fx = fn;
    if (sy > 1e-12) {
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
      if (S.length > m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    if (done || Math.sqrt(dot(g, g)) < 1e-6) break;
  }
  return x;
}

/** Train a model on documents' raw counts. */
export function trainModel(docs: readonly TrainDoc[], o: TrainOptions): VoiceModel {
  const dim = dimension(o.opts);
  const { idf, unseen } = idfOf(docs, dim);
  const base = { opts: o.opts, idf, styleScale: o.styleScale, unseenIdf: unseen };
  const vecs = docs.map((d) => vectorize(base, d.counts));
  const cols = new Map<number, number>();
  for (const v of vecs) for (const b of v.keys()) if (!cols.has(b)) cols.set(b, cols.size);
  // Compact columns in bucket order, so the result does not depend on document order.
  const order = [...cols.keys()].sort((a, b) => a - b);
  order.forEach((b, i) => cols.set(b, i));
  const nnz = vecs.reduce((s, v) => s + v.size, 0);
  const rows: Rows = { ptr: new Int32Array(docs.length + 1), col: new Int32Array(nnz), val: new Float64Array(nnz) };
  let k = 0;
  vecs.forEach((v, i) => {
    rows.ptr[i] = k;
    for (const [b, x] of [...v].sort((p, q) => p[0] - q[0])) {
      rows.col[k] = cols.get(b)!;
      rows.val[k++] = x;
    }
  });
  rows.ptr[docs.length] = k;
  const y = Float64Array.from(docs.map((d) => d.y));
  const nb = o.mnb && o.mnb.weight > 0 ? mnbRatios(rows, y, order.length, o.mnb.alpha) : undefined;
  const r = o.nbAlpha ? logCountRatios(rows, y, order.length, o.nbAlpha) : undefined;
  if (r) for (let j = 0; j < k; j++) rows.val[j] *= r[rows.col[j]];
  const pos = docs.filter((d) => d.y === 1).length;
  const neg = docs.length - pos;
  const cw = Float64Array.from(
    docs.map((d) => (d.weight ?? 1) * (o.balance && pos > 0 && neg > 0 ? docs.length / (2 * (d.y === 1 ? pos : neg)) : 1)),
  );
  const params = lbfgs((p, g) => objective(rows, y, cw, o.lambda, p, g), new Float64Array(order.length + 1), o.maxIter ?? 300);
  const w = new Float32Array(dim);
  order.forEach((b, i) => {
    let x = r ? params[i] * r[i] : params[i];
    if (nb) x += o.mnb!.weight * nb[i];
    w[b] = x;
  });
  return { opts: o.opts, styleScale: o.styleScale, bias: params[order.length], threshold: o.threshold ?? 0.5, w, idf, unseenIdf: unseen };
}
