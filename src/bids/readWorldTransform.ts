import { readFileSync } from 'node:fs';
import { fail } from '../errors.ts';
import { invertAffine, multiplyAffine } from './affine.ts';

// LPS (ITK) ↔ RAS (NIfTI/FreeSurfer): flip x and y.
const FLIP = Float64Array.from([-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

function numbers(s: string, n: number, path: string, what: string): number[] {
  const v = s.trim().split(/\s+/).map(Number);
  if (v.length !== n || !v.every(Number.isFinite)) fail('BAD_FILE', `${path}: ${what} must be ${n} numbers, found '${s.trim().slice(0, 80)}'.`);
  return v;
}

/** vox2ras of an LTA volume-info block (the MGH geometry: Mdc rows xras/yras/zras, voxel sizes, centre cras). */
function ltaVox2ras(block: Map<string, string>, path: string, which: string): Float64Array {
  const get = (k: string, n: number) => {
    const s = block.get(k);
    if (s === undefined) fail('BAD_FILE', `${path}: the ${which} volume info has no '${k}'; a LINEAR_VOX_TO_VOX LTA needs both volume geometries.`);
    return numbers(s, n, path, `${which} ${k}`);
  };
  const dims = get('volume', 3);
  const size = get('voxelsize', 3);
  const axes = [get('xras', 3), get('yras', 3), get('zras', 3)];
  const c = get('cras', 3);
  const a = new Float64Array(16);
  for (let r = 0; r < 3; r++) {
    let centre = 0;
    for (let k = 0; k < 3; k++) {
      a[r * 4 + k] = axes[k][r] * size[k];
      centre += a[r * 4 + k] * dims[k];
    }
    a[r * 4 + 3] = c[r] - centre / 2;
  }
  a[15] = 1;
  return a;
}

/**
 * Read fMRIPrep's `sub-X_from-fsnative_to-T1w_mode-image_xfm.txt` (or any from-A_to-B affine of
 * the two kinds fMRIPrep has written under that name) and return the RAS 4×4 that maps a point's
 * T1w (B) coordinates to its fsnative (A) coordinates, the direction a label lookup needs:
 * - ITK text (`#Insight Transform File`, AffineTransform / MatrixOffsetTransformBase): ITK
 *   transforms map points of the fixed image (B) to the moving image (A) in LPS; x' = M(x − c) + t + c
 *   with c the FixedParameters; converted to RAS by flipping x and y.
 * - FreeSurfer LTA (`type = 1` LINEAR_RAS_TO_RAS, or `type = 0` LINEAR_VOX_TO_VOX with both volume
 *   geometries): the matrix maps src (A) points to dst (B) points, so it is inverted.
 * Anything else is UNSUPPORTED naming the file.
 */
export function readWorldTransform(path: string): Float64Array {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail('NOT_FOUND', `Cannot read transform ${path}: ${(err as Error).message}`, err);
  }
  const lines = text.split(/\r?\n/);
  if (/^#\s*Insight Transform File/i.test(text.trim())) {
    const transforms = lines.filter((l) => /^Transform:/.test(l.trim()));
    if (transforms.length !== 1) fail('UNSUPPORTED', `${path}: ${transforms.length} ITK transforms; brain2music reads one affine (AffineTransform or MatrixOffsetTransformBase).`);
    const kind = transforms[0].split(':')[1].trim();
    if (!/^(AffineTransform|MatrixOffsetTransformBase)_(double|float)_3_3$/.test(kind)) fail('UNSUPPORTED', `${path}: ITK transform ${kind} is not a 3-D affine; brain2music reads AffineTransform_*_3_3 or MatrixOffsetTransformBase_*_3_3.`);
    const field = (name: string) => {
      const l = lines.find((x) => x.trim().startsWith(`${name}:`));
      if (l === undefined) fail('BAD_FILE', `${path}: no '${name}:' line in the ITK transform.`);
      return l.trim().slice(name.length + 1);
    };
    const p = numbers(field('Parameters'), 12, path, 'Parameters');
    const c = numbers(field('FixedParameters'), 3, path, 'FixedParameters');
    const lps = new Float64Array(16);
    for (let r = 0; r < 3; r++) {
      let mc = 0;
      for (let k = 0; k < 3; k++) {
        lps[r * 4 + k] = p[r * 3 + k];
        mc += p[r * 3 + k] * c[k];
      }
      lps[r * 4 + 3] = p[9 + r] + c[r] - mc;
    }
    lps[15] = 1;
    return multiplyAffine(multiplyAffine(FLIP, lps), FLIP);
  }
  const typeLine = lines.find((l) => /^\s*type\s*=/.test(l));
  if (typeLine !== undefined) {
    const type = Number(typeLine.split('=')[1].split('#')[0]);
    const at = lines.findIndex((l) => /^\s*1\s+4\s+4\s*$/.test(l));
    if (at < 0 || at + 4 >= lines.length) fail('BAD_FILE', `${path}: LTA without a '1 4 4' matrix block.`);
    const m = Float64Array.from(lines.slice(at + 1, at + 5).flatMap((l) => numbers(l, 4, path, 'an LTA matrix row')));
    let ras2ras: Float64Array;
    if (type === 1) ras2ras = m;
    else if (type === 0) {
      const block = (title: string) => {
        const i = lines.findIndex((l) => l.trim().startsWith(title));
        const out = new Map<string, string>();
        if (i < 0) return out;
        for (let k = i + 1; k < lines.length && !/volume info/.test(lines[k]); k++) {
          const [key, ...rest] = lines[k].split('=');
          if (rest.length > 0) out.set(key.trim(), rest.join('=').split('#')[0]);
        }
        return out;
      };
      const src = ltaVox2ras(block('src volume info'), path, 'src');
      const dst = ltaVox2ras(block('dst volume info'), path, 'dst');
      ras2ras = multiplyAffine(multiplyAffine(dst, m), invertAffine(src, `${path} src geometry`));
    } else {
      return fail('UNSUPPORTED', `${path}: LTA type ${type}; brain2music reads type 1 (LINEAR_RAS_TO_RAS) and 0 (LINEAR_VOX_TO_VOX).`);
    }
    return invertAffine(ras2ras, `${path} matrix`);
  }
  return fail('UNSUPPORTED', `${path}: neither an ITK text transform ('#Insight Transform File V1.0') nor a FreeSurfer LTA ('type = 1'); brain2music reads those two affine formats.`);
}
