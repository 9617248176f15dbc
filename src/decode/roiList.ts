import { fail } from '../errors.ts';

/** One anatomical region: its atlas label, name and voxel indices (columns of the response matrix). */
export interface Roi {
  label: number;
  name: string;
  /** Ascending voxel indices into `0 … V−1`. */
  voxels: Int32Array;
}

/** Atlas as loaded by `src/bids`: a label per voxel (0 = outside cortex) and label names. */
export interface AtlasLike {
  labels: Int32Array;
  names: ReadonlyMap<number, string>;
}

/**
 * The ROIs of an atlas, ordered by label, skipping label 0 (outside cortex / unlabelled) and
 * regions with fewer than `minVoxels` voxels. A label missing from `names` is called `label-<n>`.
 */
export function roiList(atlas: AtlasLike, opts: { minVoxels?: number } = {}): Roi[] {
  const minVoxels = opts.minVoxels ?? 1;
  const counts = new Map<number, number>();
  for (const l of atlas.labels) if (l !== 0) counts.set(l, (counts.get(l) ?? 0) + 1);
  const labels = [...counts.keys()].filter((l) => counts.get(l)! >= minVoxels).sort((a, b) => a - b);
  if (labels.length === 0) fail('BAD_INPUT', `the atlas has no region with at least ${minVoxels} voxels (labels other than 0); check the atlas files of this subject.`);
  const rois = labels.map((label) => ({ label, name: atlas.names.get(label) ?? `label-${label}`, voxels: new Int32Array(counts.get(label)!) }));
  const index = new Map(labels.map((l, i) => [l, i]));
  const fill = new Int32Array(labels.length);
  for (let v = 0; v < atlas.labels.length; v++) {
    const i = index.get(atlas.labels[v]);
    if (i !== undefined) rois[i].voxels[fill[i]++] = v;
  }
  return rois;
}

/** All labelled (cortical) voxels as one region, for the whole-cortex decoder. */
export function cortexRoi(atlas: AtlasLike): Roi {
  let n = 0;
  for (const l of atlas.labels) if (l !== 0) n++;
  if (n === 0) fail('BAD_INPUT', 'the atlas labels no voxel (all 0); the whole-cortex decoder needs a cortical mask.');
  const voxels = new Int32Array(n);
  let i = 0;
  for (let v = 0; v < atlas.labels.length; v++) if (atlas.labels[v] !== 0) voxels[i++] = v;
  return { label: -1, name: 'whole-cortex', voxels };
}
