/**
 * A dense row-major matrix of `rows` × `cols` numbers: the same shape as linalg's `Matrix`, so
 * either can be passed. In stats, rows are time points (scans) and columns are voxels.
 */
export interface ColumnMatrix {
  rows: number;
  cols: number;
  data: Float32Array | Float64Array;
}
