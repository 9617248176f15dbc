import type { Rng } from '../../linalg/index.ts';

/**
 * A simulated cortex: a folded ellipsoidal shell of voxels in a 3-D grid with an affine.
 * `voxels` are flat indices in NIfTI file order (`i + nx·(j + ny·k)`, x fastest) of the cortical
 * voxels, ascending, so voxel columns match a mask read from the label image; `coords` their
 * positions in mm (V × 3), `hemi` 0 left / 1 right.
 */
export interface Cortex {
  shape: [number, number, number];
  voxelMm: number;
  /** Row-major 4×4 voxel → mm (RAS). */
  affine: Float64Array;
  voxels: Int32Array;
  coords: Float32Array;
  hemi: Uint8Array;
  /** Semi-axes of the subject's brain ellipsoid in mm (x, y, z). */
  radii: [number, number, number];
}

/** Per-subject anatomy: size, folding phases, cortical thickness. */
export interface Anatomy {
  scale: number;
  phases: number[];
  thicknessMm: number;
}

const BASE_RADII: [number, number, number] = [68, 86, 62];

/** Draws a subject's anatomy: brain size ±6 %, random folding phases. */
export function sampleAnatomy(rng: Rng, thicknessMm: number): Anatomy {
  return { scale: 1 + 0.06 * (2 * rng.next() - 1), phases: Array.from({ length: 6 }, () => rng.uniform(0, 2 * Math.PI)), thicknessMm };
}

/** Outer surface radius (relative) in a direction: gyral folding as a sum of low-order waves. */
function foldRadius(ux: number, uy: number, uz: number, ph: number[]): number {
  return (
    1 +
    0.035 * Math.sin(7 * uy + ph[0]) * Math.cos(5 * uz + ph[1]) +
    0.03 * Math.sin(9 * uz + 3 * ux + ph[2]) +
    0.025 * Math.cos(11 * uy - 4 * uz + ph[3]) +
    0.02 * Math.sin(13 * ux + 6 * uy + ph[4])
  );
}

/**
 * buildCortex(anatomy, voxelMm) → the cortical voxels of one subject in a grid that holds the
 * brain with a 2-voxel margin. A voxel is cortex when its normalised radius lies within the
 * folded shell of the given thickness; the interhemispheric fissure (|x| < voxelMm) and the
 * lowest part (brainstem, z below -0.75 of the height) are left out.
 */
export function buildCortex(anatomy: Anatomy, voxelMm: number): Cortex {
  const radii: [number, number, number] = [BASE_RADII[0] * anatomy.scale, BASE_RADII[1] * anatomy.scale, BASE_RADII[2] * anatomy.scale];
  const centre = [0, -18, 12];
  const half = radii.map((r) => r * 1.1 + 2 * voxelMm);
  const shape = half.map((h) => 2 * Math.ceil(h / voxelMm) + 1) as [number, number, number];
  const origin = [0, 1, 2].map((d) => centre[d] - ((shape[d] - 1) / 2) * voxelMm);
  const affine = new Float64Array([voxelMm, 0, 0, origin[0], 0, voxelMm, 0, origin[1], 0, 0, voxelMm, origin[2], 0, 0, 0, 1]);
  const meanR = (radii[0] + radii[1] + radii[2]) / 3;
  const t = anatomy.thicknessMm / meanR;
  const idx: number[] = [];
  const xyz: number[] = [];
  const hemi: number[] = [];
  for (let k = 0; k < shape[2]; k++) {
    const z = origin[2] + k * voxelMm;
    const nz = (z - centre[2]) / radii[2];
    if (nz < -0.75) continue;
    for (let j = 0; j < shape[1]; j++) {
      const y = origin[1] + j * voxelMm;
      const ny = (y - centre[1]) / radii[1];
      for (let i = 0; i < shape[0]; i++) {
        const x = origin[0] + i * voxelMm;
        if (Math.abs(x) < voxelMm) continue;
        const nx = x / radii[0];
        const rho = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (rho === 0) continue;
        const outer = foldRadius(nx / rho, ny / rho, nz / rho, anatomy.phases);
        if (rho <= outer && rho > outer - t) {
          idx.push(i + shape[0] * (j + shape[1] * k));
          xyz.push(x, y, z);
          hemi.push(x < 0 ? 0 : 1);
        }
      }
    }
  }
  return { shape, voxelMm, affine, voxels: Int32Array.from(idx), coords: Float32Array.from(xyz), hemi: Uint8Array.from(hemi), radii };
}

/** C-order flat indices (`(i·ny + j)·nz + k`, numpy's ravel_multi_index) of the cortex's voxels, as int64. */
export function cOrderIndices(c: Cortex): BigInt64Array {
  const [nx, ny, nz] = c.shape;
  const out = new BigInt64Array(c.voxels.length);
  for (let v = 0; v < c.voxels.length; v++) {
    const f = c.voxels[v];
    const i = f % nx;
    const j = Math.floor(f / nx) % ny;
    const k = Math.floor(f / (nx * ny));
    out[v] = BigInt((i * ny + j) * nz + k);
  }
  return out;
}

/**
 * cortexWithVoxels(anatomy, voxelMm, target) → the cortex whose thickness is tuned (a few
 * proportional steps) so the voxel count is within about 3 % of `target`.
 */
export function cortexWithVoxels(anatomy: Anatomy, voxelMm: number, target: number): Cortex {
  let a = anatomy;
  let c = buildCortex(a, voxelMm);
  for (let it = 0; it < 6 && Math.abs(c.voxels.length - target) > 0.03 * target; it++) {
    a = { ...a, thicknessMm: Math.max(voxelMm * 0.6, a.thicknessMm * (target / Math.max(1, c.voxels.length))) };
    c = buildCortex(a, voxelMm);
  }
  return c;
}
