// 4×4 affines (row-major Float64Array(16)), the few operations resampling needs; small enough
// that a matrix library would only add a dependency.
import { fail } from '../errors.ts';

/** a · b for row-major 4×4 affines. */
export function multiplyAffine(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(16);
  for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += a[r * 4 + k] * b[k * 4 + c];
    out[r * 4 + c] = s;
  }
  return out;
}

/** Inverse of an affine (last row 0 0 0 1): [R t]⁻¹ = [R⁻¹ −R⁻¹t]. A singular R is BAD_INPUT naming `what`. */
export function invertAffine(m: ArrayLike<number>, what = 'affine'): Float64Array {
  const [a, b, c, d, e, f, g, h, i] = [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  const scale = Math.max(...[a, b, c, d, e, f, g, h, i].map(Math.abs)) ** 3;
  if (!(Math.abs(det) > 1e-12 * scale)) fail('BAD_INPUT', `${what} is singular (determinant ${det}); it cannot map voxels to space and back.`);
  const r = [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det, (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det, (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det];
  const out = new Float64Array(16);
  for (let row = 0; row < 3; row++) {
    out[row * 4] = r[row * 3];
    out[row * 4 + 1] = r[row * 3 + 1];
    out[row * 4 + 2] = r[row * 3 + 2];
    out[row * 4 + 3] = -(r[row * 3] * m[3] + r[row * 3 + 1] * m[7] + r[row * 3 + 2] * m[11]);
  }
  out[15] = 1;
  return out;
}

/** The world-space (mm) bounding box of a grid's voxel centres: [min x, min y, min z], [max x, max y, max z]. */
export function gridBounds(dims: readonly number[], affine: ArrayLike<number>): { min: [number, number, number]; max: [number, number, number] } {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let corner = 0; corner < 8; corner++) {
    const ijk = [corner & 1 ? dims[0] - 1 : 0, corner & 2 ? dims[1] - 1 : 0, corner & 4 ? dims[2] - 1 : 0];
    for (let r = 0; r < 3; r++) {
      const x = affine[r * 4] * ijk[0] + affine[r * 4 + 1] * ijk[1] + affine[r * 4 + 2] * ijk[2] + affine[r * 4 + 3];
      min[r] = Math.min(min[r], x);
      max[r] = Math.max(max[r], x);
    }
  }
  return { min, max };
}

/** `[x0, y0, z0] to [x1, y1, z1] mm`, one decimal: for error messages. */
export function formatBounds(b: { min: readonly number[]; max: readonly number[] }): string {
  const f = (v: readonly number[]) => `[${v.map((x) => x.toFixed(1)).join(', ')}]`;
  return `${f(b.min)} to ${f(b.max)} mm`;
}
