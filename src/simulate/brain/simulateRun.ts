import type { Rng } from '../../linalg/index.ts';
import type { SubjectModel } from './subjectModel.ts';

/**
 * simulateRun(model, design, nScans, rng) → one run of BOLD intensities, `nScans × V` row-major
 * int16 (what the scanner file holds, before reordering into a volume):
 * y = baseline · (1 + unitPct/100 · (signal + AR(1) noise + physiological noise + drift)), where
 * signal = design · weights, the AR(1) noise has unit variance, 4 shared physiological sources
 * are AR(1) with φ = 0.9, and the drift is a linear trend plus the two slowest cosines over the
 * run (periods 2·run and run length), coefficients N(0, driftSd²) per voxel and run.
 */
export function simulateRun(model: SubjectModel, design: Float64Array, nScans: number, rng: Rng): Int16Array {
  const V = model.baseline.length;
  const F = model.nFeatures;
  const K = model.physComponents;
  const out = new Int16Array(nScans * V);
  const ar = new Float64Array(V);
  for (let v = 0; v < V; v++) ar[v] = rng.normal();
  const phys = new Float64Array(K);
  for (let k = 0; k < K; k++) phys[k] = rng.normal();
  const drift = new Float64Array(3 * V);
  for (let i = 0; i < drift.length; i++) drift[i] = model.driftSd * rng.normal();
  const innov = new Float64Array(V);
  for (let v = 0; v < V; v++) innov[v] = Math.sqrt(1 - model.phi[v] * model.phi[v]);
  const informative = model.informative;
  const y = new Float64Array(V);
  for (let t = 0; t < nScans; t++) {
    if (t > 0) {
      for (let v = 0; v < V; v++) ar[v] = model.phi[v] * ar[v] + innov[v] * rng.normal();
      for (let k = 0; k < K; k++) phys[k] = 0.9 * phys[k] + Math.sqrt(1 - 0.81) * rng.normal();
    }
    const lin = nScans > 1 ? (2 * t) / (nScans - 1) - 1 : 0;
    const c1 = Math.cos((Math.PI * (t + 0.5)) / nScans);
    const c2 = Math.cos((2 * Math.PI * (t + 0.5)) / nScans);
    for (let v = 0; v < V; v++) {
      let p = 0;
      for (let k = 0; k < K; k++) p += model.physLoad[v * K + k] * phys[k];
      y[v] = ar[v] + p + drift[3 * v] * lin + drift[3 * v + 1] * c1 + drift[3 * v + 2] * c2;
    }
    const drow = t * F;
    for (let i = 0; i < informative.length; i++) {
      const v = informative[i];
      let s = 0;
      for (let f = 0; f < F; f++) s += design[drow + f] * model.weights[f * V + v];
      y[v] += s;
    }
    const row = t * V;
    const u = model.unitPct / 100;
    for (let v = 0; v < V; v++) out[row + v] = Math.max(-32768, Math.min(32767, Math.round(model.baseline[v] * (1 + u * y[v]))));
  }
  return out;
}

/**
 * preprocessRun(data, nScans, V) → the derivative form of one run, `nScans × V` float32: each
 * voxel's time course with its mean, linear trend and two slowest cosines removed (least squares;
 * the drift model above, like a DCT high-pass at a period of one run), then z-scored (population
 * sd; a constant voxel becomes 0).
 */
export function preprocessRun(data: Int16Array | Float32Array, nScans: number, V: number): Float32Array {
  // Orthonormal basis of [1, linear, cos1, cos2] over the run (Gram-Schmidt).
  const B = 4;
  const Q = new Float64Array(B * nScans);
  for (let t = 0; t < nScans; t++) {
    Q[t] = 1;
    Q[nScans + t] = nScans > 1 ? (2 * t) / (nScans - 1) - 1 : 0;
    Q[2 * nScans + t] = Math.cos((Math.PI * (t + 0.5)) / nScans);
    Q[3 * nScans + t] = Math.cos((2 * Math.PI * (t + 0.5)) / nScans);
  }
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < b; c++) {
      let d = 0;
      for (let t = 0; t < nScans; t++) d += Q[b * nScans + t] * Q[c * nScans + t];
      for (let t = 0; t < nScans; t++) Q[b * nScans + t] -= d * Q[c * nScans + t];
    }
    let n2 = 0;
    for (let t = 0; t < nScans; t++) n2 += Q[b * nScans + t] ** 2;
    const inv = n2 > 1e-12 ? 1 / Math.sqrt(n2) : 0;
    for (let t = 0; t < nScans; t++) Q[b * nScans + t] *= inv;
  }
  const coef = new Float64Array(B * V);
  for (let t = 0; t < nScans; t++) {
    const row = t * V;
    for (let b = 0; b < B; b++) {
      const q = Q[b * nScans + t];
      const off = b * V;
      for (let v = 0; v < V; v++) coef[off + v] += q * data[row + v];
    }
  }
  const out = new Float32Array(nScans * V);
  const ss = new Float64Array(V);
  const res = new Float64Array(V);
  for (let t = 0; t < nScans; t++) {
    const row = t * V;
    for (let v = 0; v < V; v++) res[v] = data[row + v];
    for (let b = 0; b < B; b++) {
      const q = Q[b * nScans + t];
      const off = b * V;
      for (let v = 0; v < V; v++) res[v] -= q * coef[off + v];
    }
    for (let v = 0; v < V; v++) {
      out[row + v] = res[v];
      ss[v] += res[v] * res[v];
    }
  }
  for (let v = 0; v < V; v++) {
    const sd = Math.sqrt(ss[v] / nScans);
    const inv = sd > 1e-9 ? 1 / sd : 0;
    for (let t = 0; t < nScans; t++) out[t * V + v] *= inv;
  }
  return out;
}
