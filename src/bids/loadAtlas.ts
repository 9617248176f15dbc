import { fail } from '../errors.ts';
import { readNiftiSync, readNpy, readTsv, type NiftiImage } from '../io/index.ts';
import type { SubjectFiles, VoxelSpace } from './types.ts';

/** Label names from a BIDS `dseg.tsv` (columns `index`, `name`). */
export function readDsegNames(path: string): Map<number, string> {
  const t = readTsv(path, { unquote: true });
  if (!t.columns.includes('index') || !t.columns.includes('name')) fail('BAD_FILE', `${path}: a dseg.tsv needs columns 'index' and 'name' (found ${t.columns.join(', ')}).`);
  const names = new Map<number, string>();
  t.rows.forEach((r, i) => {
    const idx = Number(r.index);
    if (!Number.isInteger(idx)) fail('BAD_FILE', `${path}: line ${i + 2}: index '${r.index}' is not an integer.`);
    if (names.has(idx)) fail('BAD_FILE', `${path}: index ${idx} is listed twice.`);
    names.set(idx, r.name);
  });
  return names;
}

/** The BOLD-space label image (`..._space-bold_dseg.nii.gz`), integer labels, 3-D. */
export function readLabelImage(path: string): NiftiImage {
  const img = readNiftiSync(path);
  if (img.dims.length > 3 && img.dims.slice(3).some((d) => d !== 1)) fail('BAD_FILE', `${path}: a label image must be 3-D, found dims ${img.dims.join('×')}.`);
  for (let i = 0; i < img.data.length; i++) {
    const x = img.data[i];
    if (!Number.isInteger(x)) fail('BAD_FILE', `${path}: voxel ${i} has label ${x}; labels must be integers (0 = outside cortex).`);
  }
  return img;
}

/** Column v → flat index in NIfTI file order, from C-order indices (numpy's ravel_multi_index). */
export function cOrderToFileOrder(indices: ArrayLike<number | bigint>, shape: readonly [number, number, number], source: string): Int32Array {
  const [nx, ny, nz] = shape;
  const total = nx * ny * nz;
  const out = new Int32Array(indices.length);
  for (let v = 0; v < indices.length; v++) {
    const c = Number(indices[v]);
    if (!Number.isInteger(c) || c < 0 || c >= total) fail('MISMATCH', `${source}: voxel index ${c} (entry ${v}) is outside the ${nx}×${ny}×${nz} reference grid.`);
    const i = Math.floor(c / (ny * nz));
    const j = Math.floor(c / nz) % ny;
    const k = c % nz;
    out[v] = i + nx * (j + ny * k);
  }
  return out;
}

/** Per-voxel labels for derivative arrays (`..._desc-voxels_labels.npy`), checked against V. */
export function readVoxelLabels(path: string, nVoxels: number, dataFile: string): Int32Array {
  const arr = readNpy(path);
  if (arr.data instanceof Float32Array || arr.data instanceof Float64Array) {
    if (!Array.from(arr.data.subarray(0, Math.min(arr.data.length, 100000))).every(Number.isInteger)) fail('BAD_FILE', `${path}: labels must be integers (dtype ${arr.dtype}).`);
  }
  if (arr.data.length !== nVoxels || arr.shape.length !== 1) {
    fail('MISMATCH', `${path}: holds labels of shape [${arr.shape.join(', ')}] but ${dataFile} has ${nVoxels} voxels; the label array must have exactly one label per voxel (length ${nVoxels}).`);
  }
  const out = new Int32Array(nVoxels);
  for (let v = 0; v < nVoxels; v++) out[v] = Number(arr.data[v]);
  return out;
}

/** The voxel space of derivative arrays, when indices and a reference image are present. */
export function derivativeSpace(atlas: SubjectFiles['atlas'], nVoxels: number): VoxelSpace | null {
  if (atlas.voxelIndices === null) return null;
  if (atlas.reference === null) fail('NOT_FOUND', `${atlas.voxelIndices} needs the reference image ${atlas.voxelIndices.replace(/desc-voxels_indices\.npy$/, 'space-bold_ref.nii.gz')} to place voxels in a volume.`);
  const ref = readNiftiSync(atlas.reference);
  const shape: [number, number, number] = [ref.dims[0], ref.dims[1] ?? 1, ref.dims[2] ?? 1];
  const idx = readNpy(atlas.voxelIndices);
  if (idx.data.length !== nVoxels || idx.shape.length !== 1) fail('MISMATCH', `${atlas.voxelIndices}: ${idx.data.length} indices but the responses have ${nVoxels} voxels.`);
  return { volumeShape: shape, affine: ref.affine, voxelIndices: cOrderToFileOrder(idx.data as ArrayLike<number | bigint>, shape, atlas.voxelIndices) };
}

/**
 * Scatter one value per voxel back into a volume (NIfTI file order) for writing a map:
 * `writeNifti(path, { dims: space.volumeShape, data: voxelsToVolume(space, r), affine: space.affine })`.
 * Voxels outside the response set get `fill` (default 0).
 */
export function voxelsToVolume(space: VoxelSpace, values: ArrayLike<number>, fill = 0): Float32Array {
  if (values.length !== space.voxelIndices.length) fail('MISMATCH', `voxelsToVolume: ${values.length} values for ${space.voxelIndices.length} voxels.`);
  const [nx, ny, nz] = space.volumeShape;
  const vol = new Float32Array(nx * ny * nz).fill(fill);
  for (let v = 0; v < values.length; v++) vol[space.voxelIndices[v]] = values[v];
  return vol;
}
