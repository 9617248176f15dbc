/** Every permutation of 0..n−1 (test-local recursion, independent of the library's enumeration). */
export function allPermutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return allPermutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));
}
