import { fail } from '../errors.ts';
import { histogram2d, type Histogram2d } from './histogram2d.ts';

/** Per-voxel scores of one feature space, as compared by {@link compareSpaces}. */
export interface SpaceScores {
  name: string;
  /** Test Pearson r per voxel (length V). */
  r: ArrayLike<number>;
  /** 1 where the voxel is significant after FDR, else 0 (length V). */
  significant: ArrayLike<number>;
}

/** Voxel-by-voxel comparison of two spaces (see {@link compareSpaces}). */
export interface SpaceComparison {
  a: string;
  b: string;
  /** `r_a - r_b` per voxel (Float32Array, length V). */
  diff: Float32Array;
  counts: { both: number; onlyA: number; onlyB: number; neither: number };
  /** Among voxels significant for either space: how many have r_a > r_b, and the mean difference. */
  eitherSignificant: { n: number; aBetter: number; meanDiff: number };
  /** Density of (r_a, r_b) over the voxels significant for either space (x: a, y: b). */
  histogram: Histogram2d;
}

/**
 * Compares two feature spaces voxel by voxel: difference of r, overlap of significant voxels, and
 * a 2-D histogram of (r_a, r_b) over voxels significant in either (the density plots of Brain2Music,
 * e.g. music embedding vs genre one-hot control).
 */
export function compareSpaces(a: SpaceScores, b: SpaceScores, opts: { bins?: number; lo?: number; hi?: number } = {}): SpaceComparison {
  const V = a.r.length;
  if (b.r.length !== V || a.significant.length !== V || b.significant.length !== V) {
    fail('MISMATCH', `compareSpaces: '${a.name}' has ${V} voxels, '${b.name}' ${b.r.length}; compare maps of the same subject.`);
  }
  const diff = new Float32Array(V);
  const either = new Uint8Array(V);
  const counts = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
  let n = 0, aBetter = 0, sumDiff = 0;
  for (let v = 0; v < V; v++) {
    const d = a.r[v]! - b.r[v]!;
    diff[v] = d;
    const sa = a.significant[v] ? 1 : 0, sb = b.significant[v] ? 1 : 0;
    if (sa && sb) counts.both++; else if (sa) counts.onlyA++; else if (sb) counts.onlyB++; else counts.neither++;
    if (sa || sb) { either[v] = 1; n++; sumDiff += d; if (d > 0) aBetter++; }
  }
  return {
    a: a.name, b: b.name, diff, counts,
    eitherSignificant: { n, aBetter, meanDiff: n > 0 ? sumDiff / n : 0 },
    histogram: histogram2d(a.r, b.r, { ...opts, mask: either }),
  };
}
