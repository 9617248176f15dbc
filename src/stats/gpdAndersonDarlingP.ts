/** Shapes k = −ξ of the rows of Choulakian & Stephens' table (Hosking's sign), descending. */
const K = [0.9, 0.5, 0.2, 0.1, 0, -0.1, -0.2, -0.3, -0.4, -0.5];
/** Upper-tail probabilities of the table's columns. */
const P = [0.5, 0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
/**
 * Critical values of A² when both the shape and the scale are estimated (Choulakian & Stephens
 * 2001, Technometrics 43:478, Table 2, case 3), one row per entry of K, one column per entry of P.
 */
const A2: number[][] = [
  [0.339, 0.471, 0.641, 0.771, 0.905, 1.086, 1.226, 1.559],
  [0.356, 0.499, 0.685, 0.830, 0.978, 1.180, 1.336, 1.707],
  [0.376, 0.534, 0.741, 0.903, 1.069, 1.296, 1.471, 1.893],
  [0.386, 0.550, 0.766, 0.935, 1.110, 1.348, 1.532, 1.966],
  [0.397, 0.569, 0.796, 0.974, 1.158, 1.409, 1.603, 2.064],
  [0.410, 0.591, 0.831, 1.020, 1.215, 1.481, 1.687, 2.176],
  [0.426, 0.617, 0.873, 1.074, 1.283, 1.567, 1.788, 2.314],
  [0.445, 0.649, 0.924, 1.140, 1.365, 1.672, 1.909, 2.475],
  [0.468, 0.688, 0.985, 1.221, 1.465, 1.799, 2.058, 2.674],
  [0.496, 0.735, 1.061, 1.321, 1.590, 1.958, 2.243, 2.922],
];

/**
 * Approximate p-value of an Anderson–Darling statistic `a2` for a generalized Pareto fit with
 * estimated shape ξ (SciPy's sign; the table's k = −ξ), from Choulakian & Stephens' table as PALM
 * reads it: the row of critical values interpolated linearly in k, then p interpolated linearly
 * in A² along that row (extrapolated linearly past its ends), clamped to [0, 1].
 * One deviation from PALM: k is clamped to the table's range [−0.5, 0.9], where PALM takes
 * max(k, 0.5) and so reads every k < 0.5 (every ξ > −0.5) from the k = 0.5 row.
 * @example gpdAndersonDarlingP(0.974, 0) // → 0.05
 */
export function gpdAndersonDarlingP(a2: number, shape: number): number {
  if (Number.isNaN(a2) || Number.isNaN(shape)) return Number.NaN;
  if (a2 === Number.POSITIVE_INFINITY) return 0;
  const k = Math.min(K[0]!, Math.max(K[K.length - 1]!, -shape));
  let r = 0;
  while (r < K.length - 2 && k < K[r + 1]!) r++;
  const t = (K[r]! - k) / (K[r]! - K[r + 1]!);
  const row = A2[r]!.map((c, j) => c + t * (A2[r + 1]![j]! - c));
  let j = 0;
  while (j < row.length - 2 && a2 > row[j + 1]!) j++;
  const p = P[j]! + ((a2 - row[j]!) * (P[j + 1]! - P[j]!)) / (row[j + 1]! - row[j]!);
  return Math.min(1, Math.max(0, p));
}
