/** Significant-voxel counts of one ROI. */
export interface RoiCount {
  index: number;
  name: string;
  nVoxels: number;
  nSignificant: number;
  /** nSignificant / nVoxels */
  fraction: number;
  /** Mean test r over the ROI's significant voxels (0 when none). */
  meanSignificantR: number;
}

/**
 * Counts significant voxels per ROI of an atlas (label 0 = outside any ROI, left out), sorted by
 * `nSignificant` descending, then by `meanSignificantR` descending, then by index.
 */
export function roiSummary(significant: ArrayLike<number>, r: ArrayLike<number>, atlas: { labels: ArrayLike<number>; names: Map<number, string> }): RoiCount[] {
  const acc = new Map<number, { n: number; s: number; sumR: number }>();
  for (let v = 0; v < atlas.labels.length; v++) {
    const l = atlas.labels[v]!;
    if (l === 0) continue;
    let a = acc.get(l);
    if (!a) { a = { n: 0, s: 0, sumR: 0 }; acc.set(l, a); }
    a.n++;
    if (significant[v]) { a.s++; a.sumR += r[v]!; }
  }
  return [...acc.entries()]
    .map(([index, a]) => ({ index, name: atlas.names.get(index) ?? `roi-${index}`, nVoxels: a.n, nSignificant: a.s, fraction: a.s / a.n, meanSignificantR: a.s > 0 ? a.sumR / a.s : 0 }))
    .sort((x, y) => y.nSignificant - x.nSignificant || y.meanSignificantR - x.meanSignificantR || x.index - y.index);
}
