/**
 * Z-score every voxel of a run over time, in place: `data` is nScans × nVoxels row-major;
 * each column gets mean 0 and (population, ddof 0) standard deviation 1. A constant voxel
 * becomes all zeros. Sums are accumulated in float64.
 */
export function zscoreRun(data: Float32Array, nScans: number, nVoxels: number): void {
  const mean = new Float64Array(nVoxels);
  const ss = new Float64Array(nVoxels);
  for (let t = 0; t < nScans; t++) {
    const o = t * nVoxels;
    for (let v = 0; v < nVoxels; v++) mean[v] += data[o + v];
  }
  for (let v = 0; v < nVoxels; v++) mean[v] /= nScans;
  for (let t = 0; t < nScans; t++) {
    const o = t * nVoxels;
    for (let v = 0; v < nVoxels; v++) {
      const d = data[o + v] - mean[v];
      ss[v] += d * d;
    }
  }
  const inv = new Float64Array(nVoxels);
  for (let v = 0; v < nVoxels; v++) {
    const sd = Math.sqrt(ss[v] / nScans);
    inv[v] = sd > 1e-12 * Math.max(1, Math.abs(mean[v])) ? 1 / sd : 0;
  }
  for (let t = 0; t < nScans; t++) {
    const o = t * nVoxels;
    for (let v = 0; v < nVoxels; v++) data[o + v] = (data[o + v] - mean[v]) * inv[v];
  }
}
