import { fail } from '../errors.ts';
import { readMgh, readNiftiSync } from '../io/index.ts';
import type { LabelVolume } from './resampleLabels.ts';

/**
 * Read a 3-D label image: FreeSurfer `.mgz`/`.mgh` (aparc.a2009s+aseg.mgz) or NIfTI `.nii[.gz]`
 * (fMRIPrep's desc-aparcaseg_dseg.nii.gz, a user's atlas). Labels must be integers; a 4-D image
 * with more than one volume is BAD_FILE.
 */
export function readLabelVolume(path: string): LabelVolume & { source: string } {
  const img = /\.mg[hz]$/i.test(path) ? readMgh(path) : readNiftiSync(path);
  if (img.dims.length > 3 && img.dims.slice(3).some((d) => d !== 1)) fail('BAD_FILE', `${path}: a label image must be 3-D, found dims ${img.dims.join('×')}.`);
  const dims: [number, number, number] = [img.dims[0], img.dims[1] ?? 1, img.dims[2] ?? 1];
  const n = dims[0] * dims[1] * dims[2];
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = img.data[i];
    if (!Number.isInteger(x)) fail('BAD_FILE', `${path}: voxel ${i} has value ${x}; a label image holds integer labels (0 = unlabelled). Is this an atlas/parcellation?`);
    labels[i] = x;
  }
  return { dims, affine: img.affine, labels, source: path };
}
