import { fail } from '../errors.ts';
import { writeNifti, writeNpy } from '../io/index.ts';

/**
 * Where a subject's voxels sit in the BOLD volume: `voxelIndices[v]` is the index of voxel `v` in
 * NIfTI file order (`x + nx·(y + ny·z)`) of a `volumeShape` grid; `affine` is row-major 4×4.
 */
export interface VoxelSpace {
  volumeShape: [number, number, number];
  affine: Float64Array;
  voxelIndices: Int32Array;
}

/**
 * Writes one value per voxel as a brain map, atomically: a 3-D NIfTI `<base>.nii.gz` with the
 * subject's affine when `space` is known (voxels outside the cortex mask get `outside`), else a 1-D
 * `<base>.npy` of length V in voxel order.
 *
 * @param values Float32Array (float32 map) or Uint8Array (0/1 mask), length V
 * @returns the path written
 */
export function writeVoxelMap(base: string, values: Float32Array | Uint8Array, space: VoxelSpace | null, outside = 0): string {
  if (!space) {
    const path = `${base}.npy`;
    writeNpy(path, values, [values.length]);
    return path;
  }
  const { volumeShape, affine, voxelIndices } = space;
  if (voxelIndices.length !== values.length) fail('MISMATCH', `map ${base}: ${values.length} values for ${voxelIndices.length} voxel positions.`);
  const n = volumeShape[0] * volumeShape[1] * volumeShape[2];
  const vol = values instanceof Uint8Array ? new Uint8Array(n) : new Float32Array(n);
  if (outside !== 0) vol.fill(outside);
  for (let v = 0; v < values.length; v++) {
    const i = voxelIndices[v]!;
    if (i < 0 || i >= n) fail('BAD_INPUT', `map ${base}: voxel ${v} has volume index ${i}, outside the ${volumeShape.join('×')} grid.`);
    vol[i] = values[v]!;
  }
  const path = `${base}.nii.gz`;
  writeNifti(path, { dims: volumeShape, data: vol, affine, header: { descrip: 'brain2music encode' } });
  return path;
}
