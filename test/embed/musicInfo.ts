// Measures how much musical information an embedding carries (used by the tests on a small
// simulator corpus and by bench/embed.bench.ts on the full-size one): cross-validated linear genre
// classification, against the same classifier on a plain log-mel average; and identification of
// windows of the same clip.
import FFT from 'fft.js';
import { identificationAccuracy } from '../../src/evaluate/index.ts';

/** Plain baseline: 64-band HTK mel power spectrum (STFT 1024 / hop 256), log, averaged over time. */
export function logMelAverage(x: Float32Array, sr = 22050, bands = 64): Float64Array {
  const nFft = 1024;
  const hop = 256;
  const fft = new FFT(nFft);
  const out = fft.createComplexArray() as number[];
  const buf = new Float64Array(nFft);
  const mel = (f: number) => 2595 * Math.log10(1 + f / 700);
  const imel = (m: number) => 700 * (10 ** (m / 2595) - 1);
  const edges = Array.from({ length: bands + 2 }, (_, i) => imel((mel(sr / 2) * i) / (bands + 1)));
  const acc = new Float64Array(bands);
  let frames = 0;
  for (let a = 0; a + nFft <= x.length; a += hop, frames++) {
    for (let i = 0; i < nFft; i++) buf[i] = x[a + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nFft));
    fft.realTransform(out, buf);
    for (let b = 0; b < bands; b++) {
      let e = 0;
      const [lo, c, hi] = [edges[b], edges[b + 1], edges[b + 2]];
      for (let k = Math.ceil((lo * nFft) / sr); k <= Math.floor((hi * nFft) / sr); k++) {
        const f = (k * sr) / nFft;
        const w = f <= c ? (f - lo) / (c - lo) : (hi - f) / (hi - c);
        if (w > 0) e += w * (out[2 * k] ** 2 + out[2 * k + 1] ** 2);
      }
      acc[b] += Math.log(e + 1e-10);
    }
  }
  return acc.map((v) => v / Math.max(1, frames));
}

/** Solves (A + λI) w = b for symmetric positive definite A (p × p) by Cholesky; columns of B at once. */
function solveRidge(A: Float64Array, B: Float64Array, p: number, q: number, lambda: number): Float64Array {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j] + (i === j ? lambda : 0);
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      L[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * p + j];
    }
  }
  const W = new Float64Array(p * q);
  for (let c = 0; c < q; c++) {
    const y = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = B[i * q + c];
      for (let k = 0; k < i; k++) s -= L[i * p + k] * y[k];
      y[i] = s / L[i * p + i];
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < p; k++) s -= L[k * p + i] * W[k * q + c];
      W[i * q + c] = s / L[i * p + i];
    }
  }
  return W;
}

/**
 * Ridge classifier (one-hot targets; features centred on the training rows, and scaled to unit
 * variance when `standardize`) → predicted labels of `test`.
 */
function ridgeClassify(X: Float64Array, p: number, labels: number[], classes: number, train: number[], test: number[], lambda: number, standardize: boolean): number[] {
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  for (const i of train) for (let j = 0; j < p; j++) mean[j] += X[i * p + j] / train.length;
  for (const i of train) for (let j = 0; j < p; j++) sd[j] += (X[i * p + j] - mean[j]) ** 2 / train.length;
  for (let j = 0; j < p; j++) sd[j] = standardize ? Math.sqrt(sd[j]) || 1 : 1;
  const z = (i: number, j: number) => (X[i * p + j] - mean[j]) / sd[j];
  const A = new Float64Array(p * p);
  const B = new Float64Array(p * classes);
  for (const i of train) {
    for (let a = 0; a < p; a++) {
      const za = z(i, a);
      for (let b = 0; b <= a; b++) A[a * p + b] += za * z(i, b);
      for (let c = 0; c < classes; c++) B[a * classes + c] += za * ((labels[i] === c ? 1 : 0) - 1 / classes);
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) A[b * p + a] = A[a * p + b];
  const W = solveRidge(A, B, p, classes, lambda);
  return test.map((i) => {
    let best = 0;
    let bestV = -Infinity;
    for (let c = 0; c < classes; c++) {
      let v = 0;
      for (let a = 0; a < p; a++) v += z(i, a) * W[a * classes + c];
      if (v > bestV) { bestV = v; best = c; }
    }
    return best;
  });
}

const LAMBDAS = [0.01, 0.1, 1, 10, 100, 1000, 10000, 100000];

/**
 * Cross-validated accuracy of a linear (ridge) genre classifier on rows of `X` (`n × p`), used
 * as they are (centred on the training rows; scaled to unit variance only with `standardize`,
 * which gives a PCA embedding's weak trailing axes the same weight as its leading ones).
 * `fold[i]` is row i's outer fold (give all windows of a clip the same fold, and spread each
 * genre's clips over the folds); λ is chosen per outer fold by an inner CV over the other folds
 * (training rows only).
 */
export function genreAccuracyCV(X: Float64Array, n: number, p: number, labels: number[], fold: number[], opts: { standardize?: boolean } = {}): number {
  const standardize = opts.standardize ?? false;
  const classes = Math.max(...labels) + 1;
  const folds = Math.max(...fold) + 1;
  const rows = [...Array(n).keys()];
  let correct = 0;
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((i) => fold[i] !== f);
    const test = rows.filter((i) => fold[i] === f);
    if (test.length === 0) continue;
    let bestLambda = LAMBDAS[0];
    let bestAcc = -1;
    for (const lambda of LAMBDAS) {
      let ok = 0;
      for (let g = 0; g < folds; g++) {
        if (g === f) continue;
        const tr = train.filter((i) => fold[i] !== g);
        const te = train.filter((i) => fold[i] === g);
        ridgeClassify(X, p, labels, classes, tr, te, lambda, standardize).forEach((c, k) => { if (c === labels[te[k]]) ok++; });
      }
      if (ok > bestAcc) { bestAcc = ok; bestLambda = lambda; }
    }
    ridgeClassify(X, p, labels, classes, train, test, bestLambda, standardize).forEach((c, k) => { if (c === labels[test[k]]) correct++; });
  }
  return correct / n;
}

/**
 * Identification accuracy of window pairs (items = clips, chance 0.5): window `a` of every clip
 * against window `b` of every clip, Pearson r between embedding vectors after z-scoring each
 * dimension across clips; a clip counts as identified against clip j when its own other window
 * correlates more than j's.
 */
export function windowPairIdentification(E: Float32Array, clips: number, windows: number, dim: number, a: number, b: number): number {
  const P = new Float64Array(clips * dim);
  const T = new Float64Array(clips * dim);
  for (let c = 0; c < clips; c++) {
    P.set(E.subarray((c * windows + a) * dim, (c * windows + a + 1) * dim), c * dim);
    T.set(E.subarray((c * windows + b) * dim, (c * windows + b + 1) * dim), c * dim);
  }
  for (const M of [P, T]) {
    for (let d = 0; d < dim; d++) {
      let m = 0;
      for (let c = 0; c < clips; c++) m += M[c * dim + d] / clips;
      let s = 0;
      for (let c = 0; c < clips; c++) s += (M[c * dim + d] - m) ** 2 / clips;
      s = Math.sqrt(s) || 1;
      for (let c = 0; c < clips; c++) M[c * dim + d] = (M[c * dim + d] - m) / s;
    }
  }
  return identificationAccuracy(P, T, clips, dim).mean;
}
