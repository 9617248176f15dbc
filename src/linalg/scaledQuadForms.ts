import { fail } from '../errors.ts';
import type { QuadFormMode } from './backend.ts';
import { toFloat64, type Matrix } from './matrix.ts';
import { forcedBackend, getBackend } from './registry.ts';

/**
 * For every row α of `d` (s×r) and column t of `a` (r×b), the quadratic form of the scaled
 * vector x = d[α] ∘ a[:, t]:
 *   mode 'gram': out[α, t] = xᵀ·M·x        (M symmetric r×r)
 *   mode 'norm': out[α, t] = ‖M·x‖²        (M q×r)
 * Returns s×b, float64 if any input is float64, else float32. This is the inner loop of
 * cross-validated ridge (one row per alpha, one column per target: the squared norm of the
 * held-out predictions), so it runs fused on the backend when the backend offers it.
 */
export async function scaledQuadForms(m: Matrix, a: Matrix, d: Matrix, mode: QuadFormMode, opts: { backend?: string } = {}): Promise<Matrix> {
  const r = a.rows;
  if (d.cols !== r) fail('MISMATCH', `scaledQuadForms: d is ${d.rows}×${d.cols} but a has ${r} rows.`);
  if (m.cols !== r || (mode === 'gram' && m.rows !== r)) fail('MISMATCH', `scaledQuadForms: m is ${m.rows}×${m.cols}, expected ${mode === 'gram' ? `${r}×${r}` : `q×${r}`}.`);
  let [mm, aa, dd] = [m, a, d];
  if (!(mm.data instanceof Float64Array && aa.data instanceof Float64Array && dd.data instanceof Float64Array) &&
      (mm.data instanceof Float64Array || aa.data instanceof Float64Array || dd.data instanceof Float64Array)) {
    [mm, aa, dd] = [toFloat64(mm), toFloat64(aa), toFloat64(dd)];
  }
  const flops = d.rows * m.rows * r * a.cols;
  const name = opts.backend ?? forcedBackend() ?? (flops < 1 << 18 ? 'js' : undefined);
  const backend = await getBackend(name);
  if (backend.scaledQuadForms && mm.rows > 0 && r > 0 && aa.cols > 0 && dd.rows > 0) return backend.scaledQuadForms(mm, aa, dd, mode);
  return scaledQuadFormsJs(mm, aa, dd, mode);
}

/** TypeScript implementation of {@link scaledQuadForms} (float64 accumulation). */
export function scaledQuadFormsJs(m: Matrix, a: Matrix, d: Matrix, mode: QuadFormMode): Matrix {
  const r = a.rows;
  const b = a.cols;
  const s = d.rows;
  const q = m.rows;
  const out = a.data instanceof Float64Array ? new Float64Array(s * b) : new Float32Array(s * b);
  const x = new Float64Array(r * b); // x[k][t] = d[α][k]·a[k][t]
  const acc = new Float64Array(b);
  const res = new Float64Array(b);
  for (let al = 0; al < s; al++) {
    for (let k = 0; k < r; k++) {
      const dk = d.data[al * r + k];
      for (let t = 0; t < b; t++) x[k * b + t] = dk * a.data[k * b + t];
    }
    res.fill(0);
    for (let i = 0; i < q; i++) {
      acc.fill(0);
      for (let k = 0; k < r; k++) {
        const mik = m.data[i * r + k];
        if (mik === 0) continue;
        for (let t = 0; t < b; t++) acc[t] += mik * x[k * b + t];
      }
      if (mode === 'gram') for (let t = 0; t < b; t++) res[t] += x[i * b + t] * acc[t];
      else for (let t = 0; t < b; t++) res[t] += acc[t] * acc[t];
    }
    out.set(res, al * b);
  }
  return { rows: s, cols: b, data: out };
}
