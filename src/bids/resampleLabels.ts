import { fail } from '../errors.ts';
import { invertAffine, multiplyAffine } from './affine.ts';

/** A 3-D integer label image: `labels` in file order (i fastest), `affine` voxel → world mm (row-major 4×4). */
export interface LabelVolume {
  dims: [number, number, number];
  affine: Float64Array;
  labels: Int32Array;
}

/** Half-voxel ties (a target centre exactly between two label voxels, common when a 2 mm grid sits on a 1 mm one) round up; the slack keeps floating-point noise from flipping them. */
export const ROUNDING_SLACK = 1e-6;

/**
 * Nearest-neighbour resampling of a label image onto target voxels, through both affines:
 * target voxel (i, j, k) → world (`targetAffine`) → optionally `worldTransform` (target world →
 * label world, e.g. T1w → fsnative) → label voxel (inverse of the label affine), each coordinate
 * rounded to the nearest integer (`floor(x + 0.5 + 1e-6)`). Target voxels that land outside the
 * label grid get 0. `voxelIndices` are flat target indices in file order (`i + nx*(j + ny*k)`);
 * the result has one label per entry. Pure; also returns how many voxels landed inside the grid.
 *
 * @example resampleLabels(aparc, bold.dims, bold.affine, maskIndices).labels // one label per mask voxel
 */
export function resampleLabels(
  source: LabelVolume,
  targetDims: readonly number[],
  targetAffine: ArrayLike<number>,
  voxelIndices: Int32Array,
  worldTransform?: ArrayLike<number>,
): { labels: Int32Array; inside: number } {
  const [sx, sy, sz] = source.dims;
  if (source.labels.length !== sx * sy * sz) fail('INTERNAL', `resampleLabels: ${source.labels.length} labels for a ${sx}×${sy}×${sz} grid.`);
  const [nx, ny] = targetDims;
  const world = worldTransform ? multiplyAffine(worldTransform, targetAffine) : Float64Array.from(targetAffine);
  const m = multiplyAffine(invertAffine(source.affine, 'the label image affine'), world);
  const out = new Int32Array(voxelIndices.length);
  let inside = 0;
  for (let v = 0; v < voxelIndices.length; v++) {
    const f = voxelIndices[v];
    const i = f % nx;
    const j = Math.floor(f / nx) % ny;
    const k = Math.floor(f / (nx * ny));
    const a = Math.floor(m[0] * i + m[1] * j + m[2] * k + m[3] + 0.5 + ROUNDING_SLACK);
    const b = Math.floor(m[4] * i + m[5] * j + m[6] * k + m[7] + 0.5 + ROUNDING_SLACK);
    const c = Math.floor(m[8] * i + m[9] * j + m[10] * k + m[11] + 0.5 + ROUNDING_SLACK);
    if (a < 0 || b < 0 || c < 0 || a >= sx || b >= sy || c >= sz) continue;
    inside++;
    out[v] = source.labels[a + sx * (b + sy * c)];
  }
  return { labels: out, inside };
}
