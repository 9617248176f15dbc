/** Rows `rows` of an `n × cols` row-major float32 matrix, in the given order. */
export function takeRows(data: Float32Array, cols: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) out.set(data.subarray(rows[i] * cols, (rows[i] + 1) * cols), i * cols);
  return out;
}
