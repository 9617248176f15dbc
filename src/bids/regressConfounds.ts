import { fail } from '../errors.ts';

/**
 * Regress confound time courses out of every voxel of one run, in place, with an intercept:
 * `data` (nScans × nVoxels row-major float32) becomes the least-squares residual of each voxel on
 * [1, confounds] (so each voxel ends with mean 0). `confounds` is nScans × nConfounds row-major
 * float64 (e.g. fMRIPrep's six motion parameters). Sums are accumulated in float64.
 *
 * Solved by normal equations on the standardised confounds (each column centred and scaled to
 * unit norm, so the intercept separates out and the Gram matrix is a correlation matrix) with a
 * Cholesky factorisation that skips columns already explained by earlier ones (relative pivot
 * below 1e-10): with at most a dozen regressors this is a few hundred flops per voxel, where a QR
 * of the full design would cost the same per run and a library would add a dependency for it.
 * A constant or duplicated confound therefore drops out instead of failing, and the residual is
 * the projection onto the span of what remains, as numpy.linalg.lstsq gives.
 *
 * @example regressConfounds(run, 410, V, motion, 6) // motion: 410 × 6 from readMotionConfounds
 */
export function regressConfounds(data: Float32Array, nScans: number, nVoxels: number, confounds: Float64Array, nConfounds: number): void {
  if (data.length !== nScans * nVoxels) fail('INTERNAL', `regressConfounds: data has ${data.length} values, expected ${nScans}×${nVoxels}.`);
  if (confounds.length !== nScans * nConfounds) fail('INTERNAL', `regressConfounds: confounds have ${confounds.length} values, expected ${nScans}×${nConfounds}.`);
  // Standardised confound columns Z (nScans × k), constant columns dropped.
  const keep: number[] = [];
  const z = new Float64Array(nScans * nConfounds);
  for (let j = 0; j < nConfounds; j++) {
    let m = 0;
    for (let t = 0; t < nScans; t++) m += confounds[t * nConfounds + j];
    m /= nScans;
    let ss = 0;
    for (let t = 0; t < nScans; t++) ss += (confounds[t * nConfounds + j] - m) ** 2;
    if (!(ss > 0) || !Number.isFinite(ss)) continue;
    const inv = 1 / Math.sqrt(ss);
    const col = keep.length;
    keep.push(j);
    for (let t = 0; t < nScans; t++) z[t * nConfounds + col] = (confounds[t * nConfounds + j] - m) * inv;
  }
  const k = keep.length;
  // Gram matrix G = ZᵀZ and its Cholesky factor L (lower, row-major k × k); skipped columns get L = 0.
  const g = new Float64Array(k * k);
  for (let t = 0; t < nScans; t++) {
    const o = t * nConfounds;
    for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) g[a * k + b] += z[o + a] * z[o + b];
  }
  const l = new Float64Array(k * k);
  const active = new Uint8Array(k);
  for (let a = 0; a < k; a++) {
    let d = g[a * k + a];
    for (let c = 0; c < a; c++) d -= l[a * k + c] ** 2;
    if (!(d > 1e-10 * g[a * k + a])) continue; // column a lies in the span of earlier ones
    active[a] = 1;
    const s = Math.sqrt(d);
    l[a * k + a] = s;
    for (let b = a + 1; b < k; b++) {
      let v = g[b * k + a];
      for (let c = 0; c < a; c++) v -= l[b * k + c] * l[a * k + c];
      l[b * k + a] = v / s;
    }
  }
  // Per voxel: mean and Zᵀy, accumulated over scans for all voxels at once (streaming rows).
  const mean = new Float64Array(nVoxels);
  const zty = new Float64Array(k * nVoxels);
  for (let t = 0; t < nScans; t++) {
    const o = t * nVoxels;
    for (let v = 0; v < nVoxels; v++) mean[v] += data[o + v];
    for (let a = 0; a < k; a++) {
      const za = z[t * nConfounds + a];
      if (za === 0) continue;
      const row = a * nVoxels;
      for (let v = 0; v < nVoxels; v++) zty[row + v] += za * data[o + v];
    }
  }
  for (let v = 0; v < nVoxels; v++) mean[v] /= nScans;
  // Z columns are centred, so Zᵀ(y − ȳ) = Zᵀy. Solve L Lᵀ β = Zᵀy in place (forward, then back).
  const beta = zty;
  for (let a = 0; a < k; a++) {
    const row = a * nVoxels;
    if (!active[a]) {
      beta.fill(0, row, row + nVoxels);
      continue;
    }
    for (let c = 0; c < a; c++) {
      const f = l[a * k + c];
      if (f === 0) continue;
      const rc = c * nVoxels;
      for (let v = 0; v < nVoxels; v++) beta[row + v] -= f * beta[rc + v];
    }
    const inv = 1 / l[a * k + a];
    for (let v = 0; v < nVoxels; v++) beta[row + v] *= inv;
  }
  for (let a = k - 1; a >= 0; a--) {
    const row = a * nVoxels;
    if (!active[a]) continue;
    for (let c = a + 1; c < k; c++) {
      const f = l[c * k + a];
      if (f === 0) continue;
      const rc = c * nVoxels;
      for (let v = 0; v < nVoxels; v++) beta[row + v] -= f * beta[rc + v];
    }
    const inv = 1 / l[a * k + a];
    for (let v = 0; v < nVoxels; v++) beta[row + v] *= inv;
  }
  // Residual: y − ȳ − Zβ.
  const fit = new Float64Array(nVoxels);
  for (let t = 0; t < nScans; t++) {
    fit.set(mean);
    for (let a = 0; a < k; a++) {
      const za = z[t * nConfounds + a];
      if (za === 0) continue;
      const row = a * nVoxels;
      for (let v = 0; v < nVoxels; v++) fit[v] += za * beta[row + v];
    }
    const o = t * nVoxels;
    for (let v = 0; v < nVoxels; v++) data[o + v] = data[o + v] - fit[v];
  }
}
