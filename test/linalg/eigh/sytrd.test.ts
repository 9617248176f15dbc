import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ormtr } from '../../../src/linalg/eigh/ormtr.ts';
import { SYTRD_NB, sytrd } from '../../../src/linalg/eigh/sytrd.ts';
import { createRng } from '../../../src/linalg/index.ts';
import { WasmKernels } from '../../../src/linalg/wasm/kernels.ts';

test('sytrd(...) then ormtr(..., I) give an orthogonal Q with QᵀAQ = tridiagonal(d, e), below, at and past the panel width', () => {
  const rng = createRng(4);
  const k = new WasmKernels();
  for (const n of [1, 2, 3, SYTRD_NB + 1, SYTRD_NB + 2, 3 * SYTRD_NB + 5, 150]) {
    for (const prec of ['f64', 'f32'] as const) {
      const tol = prec === 'f64' ? 1e-13 : 1e-5;
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
      const mark = k.mark();
      const pa = k.alloc(n * n, prec);
      const z = k.alloc(n * n, prec);
      k.view(prec).set(a, pa);
      const ar = Float64Array.from(k.view(prec).subarray(pa, pa + n * n)); // A as rounded to prec
      const d = new Float64Array(n);
      const e = new Float64Array(Math.max(1, n - 1));
      const tau = new Float64Array(Math.max(1, n - 1));
      sytrd(k, prec, n, pa, n, d, e, tau);
      k.zero(prec, n, n, z, n);
      for (let i = 0; i < n; i++) k.view(prec)[z + i * n + i] = 1;
      ormtr(k, prec, n, pa, n, tau, z, n, n);
      const q = Float64Array.from(k.view(prec).subarray(z, z + n * n)); // column-major
      k.release(mark);
      let norm = 0;
      for (const x of ar) norm = Math.max(norm, Math.abs(x));
      // aq[j·n + r] = (A·Q)(r, j)
      const aq = new Float64Array(n * n);
      for (let j = 0; j < n; j++) for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) aq[j * n + r] += ar[r * n + c] * q[j * n + c];
      let orth = 0;
      let err = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          let t = 0;
          for (let r = 0; r < n; r++) {
            s += q[i * n + r] * q[j * n + r];
            t += q[i * n + r] * aq[j * n + r];
          }
          orth = Math.max(orth, Math.abs(s - (i === j ? 1 : 0)));
          const want = i === j ? d[i] : Math.abs(i - j) === 1 ? e[Math.min(i, j)] : 0;
          err = Math.max(err, Math.abs(t - want));
        }
      }
      assert.ok(orth <= tol, `n=${n} ${prec}: ‖QᵀQ − I‖ = ${orth}`);
      assert.ok(err <= tol * Math.max(1, norm) * Math.sqrt(n), `n=${n} ${prec}: ‖QᵀAQ − T‖ = ${err}`);
    }
  }
});
