import { fail } from '../errors.ts';
import { DEFAULT_ENCODING_VOXELS } from './defaultDecoder.ts';
import { formatDecoderChoice, type VoxelSelection } from './decoderChoice.ts';

/** Voxels chosen by {@link selectVoxels}. */
export interface SelectedVoxels {
  /** Ascending voxel indices (columns of the responses). */
  voxels: Int32Array;
  /** What was adjusted (e.g. a count clamped to the number of voxels). */
  notes: string[];
}

/** Voxel indices ordered by encoding CV r, best first; ties go to the lower index. */
export function rankVoxels(r: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: r.length }, (_, v) => v);
  return order.sort((a, b) => r[b] - r[a] || a - b);
}

function countAbove(r: ArrayLike<number>, t: number): number {
  let k = 0;
  const t32 = Math.fround(t);
  for (let v = 0; v < r.length; v++) if (Math.fround(r[v]) > t32) k++;
  return k;
}

/**
 * Applies a voxel selection to per-voxel encoding CV r (length V): `encoding-top` keeps the `n`
 * highest (ties to the lower index; `n > V` keeps all V with a note), `encoding-r` every voxel
 * with r strictly above the threshold (both in float32, the scores' precision), `all` every voxel (r unused, may be null). Pure.
 *
 * @param where what the scores were fitted on, for messages ("the training clips", "outer fold 2 of 5")
 * @throws BAD_INPUT when `encoding-r` selects no voxel: the message gives the best r, how many
 *   voxels reach a few lower thresholds, and what to pass instead
 */
export function selectVoxels(selection: VoxelSelection, r: ArrayLike<number> | null, nVoxels: number, where: string): SelectedVoxels {
  if (selection.kind === 'all') return { voxels: Int32Array.from({ length: nVoxels }, (_, v) => v), notes: [] };
  if (!r || r.length !== nVoxels) return fail('INTERNAL', `selectVoxels: ${r ? r.length : 'no'} encoding scores for ${nVoxels} voxels.`);
  const label = formatDecoderChoice(selection);
  if (selection.kind === 'encoding-top') {
    const notes: string[] = [];
    let n = selection.n;
    if (n > nVoxels) {
      notes.push(`${label} asks for more voxels than the ${nVoxels} there are: all ${nVoxels} used.`);
      n = nVoxels;
    }
    return { voxels: rankVoxels(r).slice(0, n).sort(), notes };
  }
  const t = selection.threshold;
  // compared in float32, the precision of the scores: an r stored as float32(0.05) is not > 0.05
  const t32 = Math.fround(t);
  const keep: number[] = [];
  for (let v = 0; v < nVoxels; v++) if (Math.fround(r[v]) > t32) keep.push(v);
  if (keep.length === 0) {
    let max = -Infinity;
    for (let v = 0; v < nVoxels; v++) max = Math.max(max, r[v]);
    const lower = [t / 2, t / 4, 0].filter((x, i, a) => x < t && a.indexOf(x) === i);
    const counts = lower.map((x) => `; ${countAbove(r, x)} above ${+x.toFixed(4)}`).join('');
    // a threshold that keeps about 100 voxels (or, with fewer voxels above 0, half the best r), rounded down to 3 decimals
    const kth = r[rankVoxels(r)[Math.min(100, nVoxels) - 1]];
    const lowered = Math.floor((kth > 0 ? kth : max / 2) * 1000) / 1000;
    const suggest = lowered > 0 ? `encoding-r:${lowered} (${countAbove(r, lowered)} voxels) or ` : '';
    fail('BAD_INPUT', `${label} selects no voxel in ${where}: none of the ${nVoxels} voxels has encoding CV r > ${t} (best r ${max.toFixed(4)}${counts}). Pass a lower threshold, e.g. ${suggest}a voxel count such as encoding:${Math.min(DEFAULT_ENCODING_VOXELS, nVoxels)}.`);
  }
  return { voxels: Int32Array.from(keep), notes: [] };
}
