import { fail } from '../../errors.ts';

/**
 * Rows `rows` (default all) and columns `cols` of an `n × p` row-major float32 matrix, as a new
 * `rows.length × cols.length` matrix in the order given.
 */
export function gatherColumns(data: Float32Array, n: number, p: number, cols: ArrayLike<number>, rows?: ArrayLike<number>): Float32Array {
  if (data.length !== n * p) fail('MISMATCH', `gatherColumns: ${data.length} values, expected ${n} × ${p}.`);
  const q = cols.length;
  const m = rows ? rows.length : n;
  for (let j = 0; j < q; j++) if (!(cols[j] >= 0 && cols[j] < p)) fail('BAD_INPUT', `voxel index ${cols[j]} is outside 0…${p - 1}.`);
  const out = new Float32Array(m * q);
  for (let i = 0; i < m; i++) {
    const r = rows ? rows[i] : i;
    if (!(r >= 0 && r < n)) fail('BAD_INPUT', `row ${r} is outside 0…${n - 1}.`);
    const o = r * p;
    const oo = i * q;
    for (let j = 0; j < q; j++) out[oo + j] = data[o + cols[j]];
  }
  return out;
}
