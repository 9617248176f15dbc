import type { EncodingResponses } from './encodingResponses.ts';

/**
 * Copies responses of voxels `[v0, v1)` for the given (run, scan) rows into a dense matrix.
 * @returns Float32Array `rows × (v1 - v0)`, row-major
 */
export function gatherRows(resp: EncodingResponses, run: Int32Array, scan: Int32Array, v0: number, v1: number): Float32Array {
  const V = resp.nVoxels;
  const w = v1 - v0;
  const out = new Float32Array(run.length * w);
  for (let i = 0; i < run.length; i++) {
    const off = scan[i]! * V;
    out.set(resp.runs[run[i]!]!.data.subarray(off + v0, off + v1), i * w);
  }
  return out;
}

/**
 * Mean responses of voxels `[v0, v1)` over groups of rows: output row `i` averages the rows
 * `offsets[i] .. offsets[i+1]-1` of (run, scan) (e.g. the repetitions of one test scan).
 * @returns Float32Array `(offsets.length - 1) × (v1 - v0)`, row-major
 */
export function gatherMeanRows(resp: EncodingResponses, offsets: Int32Array, run: Int32Array, scan: Int32Array, v0: number, v1: number): Float32Array {
  const V = resp.nVoxels;
  const w = v1 - v0;
  const n = offsets.length - 1;
  const out = new Float32Array(n * w);
  const acc = new Float64Array(w);
  for (let i = 0; i < n; i++) {
    acc.fill(0);
    const a = offsets[i]!;
    const b = offsets[i + 1]!;
    for (let k = a; k < b; k++) {
      const d = resp.runs[run[k]!]!.data;
      const off = scan[k]! * V + v0;
      for (let v = 0; v < w; v++) acc[v]! += d[off + v]!;
    }
    for (let v = 0; v < w; v++) out[i * w + v] = acc[v]! / (b - a);
  }
  return out;
}

/**
 * Responses of voxels `[v0, v1)` split by repetition: block `k` holds, for every output row `i`, the
 * `k`-th of rows `offsets[i] ..` (for the noise ceiling). Uses the first `nReps` repetitions.
 * @returns Float32Array `nReps × (offsets.length - 1) × (v1 - v0)`, row-major
 */
export function gatherRepetitions(resp: EncodingResponses, offsets: Int32Array, run: Int32Array, scan: Int32Array, nReps: number, v0: number, v1: number): Float32Array {
  const V = resp.nVoxels;
  const w = v1 - v0;
  const n = offsets.length - 1;
  const out = new Float32Array(nReps * n * w);
  for (let k = 0; k < nReps; k++) {
    for (let i = 0; i < n; i++) {
      const r = offsets[i]! + k;
      const off = scan[r]! * V;
      out.set(resp.runs[run[r]!]!.data.subarray(off + v0, off + v1), (k * n + i) * w);
    }
  }
  return out;
}
