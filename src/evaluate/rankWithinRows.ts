/**
 * rankWithinRows(C, n) → wins[i·n + t] = #{t' : C[i][t'] < C[i][t]}: how many targets target t
 * beats in prediction i's row (strictly, so ties beat nobody). `wins[i·n + i] / (n − 1)` is item
 * i's identification accuracy, and `= n − 1` means t is the strict best match; a pairing π then
 * scores mean_i wins[i·n + π(i)] / (n − 1), in O(n) per pairing.
 * @param C n × n row-major correlations (prediction i × target t)
 */
export function rankWithinRows(C: ArrayLike<number>, n: number): Int32Array {
  const wins = new Int32Array(n * n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < n; t++) row[t] = C[i * n + t]!;
    const sorted = Float64Array.from(row).sort();
    for (let t = 0; t < n; t++) {
      // lower bound: entries strictly below row[t]
      let lo = 0, hi = n;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid]! < row[t]!) lo = mid + 1; else hi = mid; }
      wins[i * n + t] = lo;
    }
  }
  return wins;
}
