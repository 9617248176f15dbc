import { fail } from '../../errors.ts';
import { matmul } from '../../linalg/index.ts';
import { predictRidge } from '../../ridge/index.ts';
import { blockVoxels, type AlignmentBlock } from './alignmentBlocks.ts';
import type { RidgeAlignment } from './fitRidgeAlignment.ts';
import type { SrmSubjectMap } from './fitSharedResponse.ts';
import { gatherColumns } from './gatherColumns.ts';

/** The reference of a ridge alignment: its own block voxels, unchanged. */
export interface IdentityAlignment {
  method: 'identity';
  subject: string;
  nVoxels: number;
  blocks: { label: number; name: string; voxels: Int32Array }[];
  nColumns: number;
}

/** How one subject's responses enter the common space: the ridge reference as it is, a ridge map onto it, or an SRM map. */
export type SubjectAlignment = IdentityAlignment | RidgeAlignment | SrmSubjectMap;

/** The reference subject's "alignment": the columns of its block voxels, block after block. */
export function identityAlignment(subject: string, nVoxels: number, blocks: readonly AlignmentBlock[]): IdentityAlignment {
  const b = blocks.map((x) => ({ label: x.label, name: x.name, voxels: blockVoxels(x, subject) }));
  return { method: 'identity', subject, nVoxels, blocks: b, nColumns: b.reduce((s, x) => s + x.voxels.length, 0) };
}

/** The common space's columns per block: how many, in block order (the same for every subject of one fit). */
export function alignmentColumns(a: SubjectAlignment): { label: number; name: string; columns: number }[] {
  switch (a.method) {
    case 'identity': return a.blocks.map((b) => ({ label: b.label, name: b.name, columns: b.voxels.length }));
    case 'ridge': return a.blocks.map((b) => ({ label: b.label, name: b.name, columns: b.referenceVoxels.length }));
    case 'srm': return a.blocks.map((b) => ({ label: b.label, name: b.name, columns: b.dims }));
  }
}

/**
 * A subject's responses in the common space: `n × V` row-major float32 (V = `a.nVoxels`, rows
 * any clip windows: training or test) → `n × a.nColumns` float32, block after block. Identity:
 * the block voxels' columns; ridge: the predicted reference responses `(x − x̄)·coef + ȳ` per block;
 * SRM: the shared responses `((x − mean)/sd)·W` per block.
 */
export async function applyAlignment(a: SubjectAlignment, data: Float32Array): Promise<Float32Array> {
  const V = a.nVoxels;
  if (data.length % V !== 0) fail('MISMATCH', `${a.subject}'s responses hold ${data.length} values, not a multiple of the ${V} voxels its alignment was fitted on; use the same subject's responses with the same voxels.`);
  const n = data.length / V;
  const out = new Float32Array(n * a.nColumns);
  let c0 = 0;
  const put = (block: ArrayLike<number>, cols: number) => {
    for (let i = 0; i < n; i++) for (let j = 0; j < cols; j++) out[i * a.nColumns + c0 + j] = block[i * cols + j];
    c0 += cols;
  };
  if (a.method === 'identity') {
    for (const b of a.blocks) put(gatherColumns(data, n, V, b.voxels), b.voxels.length);
  } else if (a.method === 'ridge') {
    for (const b of a.blocks) {
      const x = gatherColumns(data, n, V, b.sourceVoxels);
      const pred = await predictRidge(b.fit, { rows: n, cols: b.sourceVoxels.length, data: x });
      put(pred.data, b.referenceVoxels.length);
    }
  } else {
    for (const b of a.blocks) {
      const q = b.voxels.length;
      const z = new Float64Array(n * q);
      for (let i = 0; i < n; i++) for (let j = 0; j < q; j++) z[i * q + j] = (data[i * V + b.voxels[j]] - b.mean[j]) / b.std[j];
      const s = await matmul({ rows: n, cols: q, data: z }, { rows: q, cols: b.dims, data: b.w });
      put(s.data, b.dims);
    }
  }
  return out;
}
