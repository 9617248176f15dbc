/**
 * A time course of nB clips × L scans: in each clip an AR(1) with coefficient rho restarted at the
 * clip's first scan (so clips are exchangeable, as the block null assumes) plus a clip effect of
 * standard deviation clipSd; `normal` draws the standard normals.
 */
export function clipSeries(nB: number, L: number, rho: number, clipSd: number, normal: () => number): Float64Array {
  const x = new Float64Array(nB * L);
  const clip = Array.from({ length: nB }, normal);
  let s = 0;
  for (let t = 0; t < nB * L; t++) {
    s = t % L === 0 ? normal() : rho * s + Math.sqrt(1 - rho * rho) * normal();
    x[t] = s + clipSd * clip[Math.floor(t / L)]!;
  }
  return x;
}
