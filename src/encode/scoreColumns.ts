/**
 * Test scores per column (voxel) of a prediction, accumulated in float64.
 *
 * - `r`: Pearson correlation of `pred[:, v]` and `actual[:, v]`; 0 when either column is constant.
 * - `r2`: coefficient of determination `1 - Σ(y - ŷ)² / Σ(y - ȳ)²` (ȳ: the test mean; can be
 *   negative); 0 for a constant `actual` column.
 *
 * @param pred Float32Array `n × T`, row-major
 * @param actual Float32Array `n × T`, row-major
 * @example scoreColumns(Float32Array.of(1, 2, 3), Float32Array.of(2, 4, 6), 3, 1).r // → [1]
 */
export function scoreColumns(pred: Float32Array, actual: Float32Array, n: number, T: number): { r: Float64Array; r2: Float64Array } {
  const sp = new Float64Array(T), sa = new Float64Array(T);
  for (let i = 0; i < n; i++) for (let v = 0; v < T; v++) { sp[v]! += pred[i * T + v]!; sa[v]! += actual[i * T + v]!; }
  for (let v = 0; v < T; v++) { sp[v]! /= n; sa[v]! /= n; }
  const pp = new Float64Array(T), aa = new Float64Array(T), pa = new Float64Array(T), ee = new Float64Array(T);
  for (let i = 0; i < n; i++) {
    for (let v = 0; v < T; v++) {
      const p = pred[i * T + v]!, a = actual[i * T + v]!;
      const dp = p - sp[v]!, da = a - sa[v]!;
      pp[v]! += dp * dp; aa[v]! += da * da; pa[v]! += dp * da; ee[v]! += (a - p) * (a - p);
    }
  }
  const r = new Float64Array(T), r2 = new Float64Array(T);
  for (let v = 0; v < T; v++) {
    const den = Math.sqrt(pp[v]! * aa[v]!);
    r[v] = den > 0 ? Math.max(-1, Math.min(1, pa[v]! / den)) : 0;
    r2[v] = aa[v]! > 0 ? 1 - ee[v]! / aa[v]! : 0;
  }
  return { r, r2 };
}
