import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { stedc, STEDC_LEAF } from '../../../src/linalg/eigh/stedc.ts';
import { createRng } from '../../../src/linalg/index.ts';
import { WasmKernels, type Prec } from '../../../src/linalg/wasm/kernels.ts';

const PY = '/usr/bin/python3';

/** numpy.linalg.eigvalsh of each dense tridiagonal (d, e), ascending. */
function numpyTridiagonal(cases: { d: Float64Array; e: Float64Array }[]): number[][] {
  const script = String.raw`
import json, sys, numpy as np
out = []
for c in json.loads(sys.stdin.read()):
    d = np.array(c['d']); e = np.array(c['e'])
    out.append(np.linalg.eigvalsh(np.diag(d) + np.diag(e, 1) + np.diag(e, -1)).tolist())
print(json.dumps(out))
`;
  const r = spawnSync(PY, ['-c', script], { input: JSON.stringify(cases.map((c) => ({ d: Array.from(c.d), e: Array.from(c.e) }))), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[][];
}

/** Runs stedc; returns sorted values, max |TU − UΛ|/‖T‖ and max |UᵀU − I|. */
function solve(k: WasmKernels, prec: Prec, d0: Float64Array, e0: Float64Array): { values: Float64Array; res: number; orth: number } {
  const n = d0.length;
  const mark = k.mark();
  const z = k.alloc(n * n, prec);
  const d = Float64Array.from(d0);
  const order = stedc(k, prec, n, d, Float64Array.from(e0), z, n);
  const h = k.view(prec);
  const u = Float64Array.from(h.subarray(z, z + n * n)); // column c = eigenvector of d[c]
  k.release(mark);
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d0[i]) + (i > 0 ? Math.abs(e0[i - 1]) : 0) + (i < n - 1 ? Math.abs(e0[i]) : 0));
  let res = 0;
  let orth = 0;
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let s = d0[i] * u[c * n + i];
      if (i > 0) s += e0[i - 1] * u[c * n + i - 1];
      if (i < n - 1) s += e0[i] * u[c * n + i + 1];
      res = Math.max(res, Math.abs(s - d[c] * u[c * n + i]));
    }
    for (let c2 = 0; c2 < n; c2++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += u[c * n + i] * u[c2 * n + i];
      orth = Math.max(orth, Math.abs(s - (c === c2 ? 1 : 0)));
    }
  }
  return { values: Float64Array.from(order, (c) => d[c]), res: norm > 0 ? res / norm : res, orth };
}

test('stedc(...) by divide and conquer matches numpy on random, split, Wilkinson and Toeplitz tridiagonals, with orthonormal vectors', () => {
  const rng = createRng(21);
  const n = 300; // leaves of STEDC_LEAF: three merge levels and more
  assert.ok(n > 8 * STEDC_LEAF);
  const cases: { label: string; d: Float64Array; e: Float64Array; exact?: Float64Array }[] = [];
  cases.push({ label: 'random', d: Float64Array.from({ length: n }, () => rng.normal()), e: Float64Array.from({ length: n - 1 }, () => rng.normal()) });
  // negligible couplings split it into blocks of 1, 7 and the rest (one all-zero block)
  const ds = Float64Array.from({ length: n }, (_, i) => (i >= 100 && i < 180 ? 0 : rng.normal()));
  const es = Float64Array.from({ length: n - 1 }, (_, i) => (i === 0 || i === 7 || (i >= 99 && i < 180) ? 0 : rng.normal()));
  cases.push({ label: 'split with a zero block', d: ds, e: es });
  // Wilkinson W+: eigenvalues in pairs closer than 1e-14 for the large ones (deflation by rotation)
  cases.push({ label: 'Wilkinson', d: Float64Array.from({ length: 201 }, (_, i) => Math.abs(i - 100)), e: new Float64Array(200).fill(1) });
  // Toeplitz (a, b): λ_j = a + 2b·cos(jπ/(n+1)), closed form
  const exact = Float64Array.from({ length: n }, (_, j) => 1 - 2 * 0.5 * Math.cos(((j + 1) * Math.PI) / (n + 1))).sort();
  cases.push({ label: 'Toeplitz', d: new Float64Array(n).fill(1), e: new Float64Array(n - 1).fill(-0.5), exact });
  // graded: entries spanning 30 orders of magnitude
  cases.push({ label: 'graded', d: Float64Array.from({ length: n }, (_, i) => 10 ** (-i / 10)), e: Float64Array.from({ length: n - 1 }, (_, i) => 0.3 * 10 ** (-i / 10)) });
  const want = numpyTridiagonal(cases);
  const k = new WasmKernels();
  cases.forEach((c, ci) => {
    for (const prec of ['f64', 'f32'] as const) {
      const tol = prec === 'f64' ? 1e-13 : 1e-5;
      const { values, res, orth } = solve(k, prec, c.d, c.e);
      const ref = c.exact ?? Float64Array.from(want[ci]);
      const scale = Math.max(...ref.map(Math.abs));
      for (let j = 0; j < ref.length; j++) assert.ok(Math.abs(values[j] - ref[j]) <= tol * scale, `${c.label} ${prec}: λ${j} = ${values[j]} vs ${ref[j]}`);
      assert.ok(res <= tol, `${c.label} ${prec}: residual ${res}`);
      assert.ok(orth <= tol * 10, `${c.label} ${prec}: orthogonality ${orth}`);
    }
  });
});
