import type { Rng } from '../../linalg/index.ts';
import type { Cortex } from './cortex.ts';
import { DESTRIEUX, roiName } from './destrieux.ts';

/** Atlas of a cortex: label per voxel (1..148; 0 never occurs in cortex) and label names. */
export interface SimAtlas {
  labels: Int32Array;
  /** index → name, lh labels 1..74, rh 75..148 in DESTRIEUX order. */
  names: Map<number, string>;
}

/**
 * buildAtlas(cortex, rng) → a Destrieux-like parcellation: each of the 74 names per hemisphere
 * gets a seed voxel near its rough anatomical position (jittered per subject), and every voxel
 * joins the seed with the smallest distance / weight, weights log-normal (sd 0.22) so ROI sizes
 * are uneven (tens to hundreds of voxels at 10k, hundreds to thousands at 60k).
 */
export function buildAtlas(cortex: Cortex, rng: Rng): SimAtlas {
  const V = cortex.voxels.length;
  const names = new Map<number, string>();
  const n = DESTRIEUX.length;
  const seeds = new Float64Array(2 * n * 3);
  const weights = new Float64Array(2 * n);
  const [rx, ry, rz] = cortex.radii;
  for (let h = 0; h < 2; h++) {
    for (let r = 0; r < n; r++) {
      const [name, y, z, lateral] = DESTRIEUX[r];
      const label = h * n + r;
      names.set(label + 1, roiName(h === 0 ? 'lh' : 'rh', name));
      const jy = y + 0.04 * rng.normal();
      const jz = z + 0.04 * rng.normal();
      const lat = (0.12 + 0.85 * lateral) * Math.sqrt(Math.max(0.05, 1 - jy * jy - jz * jz * 0.5));
      const target = [(h === 0 ? -1 : 1) * lat * rx, -18 + jy * ry, 12 + jz * rz];
      // Seed = nearest cortical voxel of the hemisphere to the target point.
      let best = -1;
      let bestD = Infinity;
      for (let v = 0; v < V; v++) {
        if (cortex.hemi[v] !== h) continue;
        const dx = cortex.coords[3 * v] - target[0];
        const dy = cortex.coords[3 * v + 1] - target[1];
        const dz = cortex.coords[3 * v + 2] - target[2];
        const d = dx * dx + dy * dy + dz * dz;
        if (d < bestD) { bestD = d; best = v; }
      }
      seeds[3 * label] = cortex.coords[3 * best];
      seeds[3 * label + 1] = cortex.coords[3 * best + 1];
      seeds[3 * label + 2] = cortex.coords[3 * best + 2];
      weights[label] = Math.exp(0.22 * rng.normal());
    }
  }
  // A few Lloyd steps spread crowded seeds (names that sit close together), then the weighted
  // assignment makes sizes uneven.
  const unit = new Float64Array(2 * n).fill(1);
  for (let it = 0; it < 4; it++) {
    const labels = assign(cortex, seeds, unit, n);
    const sum = new Float64Array(2 * n * 3);
    const cnt = new Float64Array(2 * n);
    for (let v = 0; v < V; v++) {
      const l = labels[v] - 1;
      cnt[l]++;
      for (let d = 0; d < 3; d++) sum[3 * l + d] += cortex.coords[3 * v + d];
    }
    for (let l = 0; l < 2 * n; l++) {
      if (cnt[l] === 0) continue;
      for (let d = 0; d < 3; d++) seeds[3 * l + d] += 0.8 * (sum[3 * l + d] / cnt[l] - seeds[3 * l + d]);
    }
  }
  return { labels: assign(cortex, seeds, weights, n), names };
}

function assign(cortex: Cortex, seeds: Float64Array, weights: Float64Array, n: number): Int32Array {
  const V = cortex.voxels.length;
  const labels = new Int32Array(V);
  for (let v = 0; v < V; v++) {
    const h = cortex.hemi[v];
    let best = 0;
    let bestD = Infinity;
    for (let r = 0; r < n; r++) {
      const label = h * n + r;
      const dx = cortex.coords[3 * v] - seeds[3 * label];
      const dy = cortex.coords[3 * v + 1] - seeds[3 * label + 1];
      const dz = cortex.coords[3 * v + 2] - seeds[3 * label + 2];
      const d = Math.sqrt(dx * dx + dy * dy + dz * dz) / weights[label];
      if (d < bestD) { bestD = d; best = label; }
    }
    labels[v] = best + 1;
  }
  return labels;
}
