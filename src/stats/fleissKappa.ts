/**
 * Fleiss' kappa of N items each rated by the same number m ≥ 2 of raters into c categories.
 * `counts` is N × c row-major: counts[i·c + j] raters put item i in category j (each row sums to m).
 * κ = (P̄ − P̄e) / (1 − P̄e), with P̄ the mean over items of the fraction of agreeing rater pairs
 * and P̄e = Σ_j p_j² the agreement expected from the category proportions p_j alone (Fleiss 1971).
 * 1: perfect agreement, 0: what chance gives, < 0: less. NaN when N = 0, the rows do not all sum
 * to the same m ≥ 2, or every rating falls in one category (P̄e = 1: kappa undefined).
 * @example fleissKappa(Int32Array.from([2, 0, 0, 2]), 2, 2) // → 1
 */
export function fleissKappa(counts: ArrayLike<number>, nItems: number, nCategories: number): number {
  if (nItems <= 0 || nCategories < 2 || counts.length !== nItems * nCategories) return Number.NaN;
  let m = -1;
  const p = new Float64Array(nCategories);
  let pBar = 0;
  for (let i = 0; i < nItems; i++) {
    let sum = 0;
    let sq = 0;
    for (let j = 0; j < nCategories; j++) {
      const v = counts[i * nCategories + j]!;
      sum += v;
      sq += v * v;
      p[j]! += v;
    }
    if (m === -1) m = sum;
    if (sum !== m || m < 2) return Number.NaN;
    pBar += (sq - m) / (m * (m - 1)) / nItems;
  }
  let pe = 0;
  for (let j = 0; j < nCategories; j++) pe += (p[j]! / (nItems * m)) ** 2;
  return pe >= 1 - 1e-15 ? Number.NaN : (pBar - pe) / (1 - pe);
}
