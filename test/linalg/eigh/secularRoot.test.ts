import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { secularRoot } from '../../../src/linalg/eigh/secularRoot.ts';
import { createRng } from '../../../src/linalg/index.ts';

const PY = '/usr/bin/python3';

/** numpy.linalg.eigvalsh(diag(d) + rho·z·zᵀ) for each case, ascending. */
function numpyRoots(cases: { d: Float64Array; z: Float64Array; rho: number }[]): number[][] {
  const script = String.raw`
import json, sys, numpy as np
out = []
for c in json.loads(sys.stdin.read()):
    d = np.array(c['d']); z = np.array(c['z'])
    out.append(np.linalg.eigvalsh(np.diag(d) + c['rho'] * np.outer(z, z)).tolist())
print(json.dumps(out))
`;
  const input = JSON.stringify(cases.map((c) => ({ d: Array.from(c.d), z: Array.from(c.z), rho: c.rho })));
  const r = spawnSync(PY, ['-c', script], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[][];
}

test('secularRoot(k, d, z, rho, j, delta) gives the eigenvalues of D + ρzzᵀ (numpy eigvalsh) and delta_i = d_i − λ_j', () => {
  const rng = createRng(5);
  const cases: { d: Float64Array; z: Float64Array; rho: number; label: string }[] = [];
  const unit = (z: Float64Array): Float64Array => {
    const s = Math.hypot(...z);
    return z.map((v) => v / s);
  };
  cases.push({ label: 'k = 1', d: new Float64Array([0.3]), z: new Float64Array([1]), rho: 0.7 });
  cases.push({ label: 'k = 2', d: new Float64Array([-1, 2]), z: unit(new Float64Array([0.6, 0.8])), rho: 1.5 });
  const d40 = Float64Array.from({ length: 40 }, () => rng.normal()).sort();
  cases.push({ label: 'random k = 40', d: d40, z: unit(Float64Array.from({ length: 40 }, () => rng.normal())), rho: 0.9 });
  // tiny weights put roots within ~1e-12 of their poles: the accuracy test for the origin shift
  const zTiny = unit(Float64Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 1e-6 : 1) * (1 + rng.uniform())));
  cases.push({ label: 'roots hugging poles', d: Float64Array.from({ length: 30 }, (_, i) => i / 29), z: zTiny, rho: 0.5 });
  // close poles (gap 1e-9) and a large rho
  cases.push({ label: 'close poles, rho = 50', d: new Float64Array([0, 1e-9, 2e-9, 1, 1 + 1e-9]), z: unit(new Float64Array([1, 2, 1, 3, 1])), rho: 50 });
  const want = numpyRoots(cases);
  cases.forEach((c, ci) => {
    const k = c.d.length;
    const scale = Math.max(...c.d.map(Math.abs)) + c.rho;
    for (let j = 0; j < k; j++) {
      const delta = new Float64Array(k);
      const lam = secularRoot(k, c.d, c.z, c.rho, j, delta);
      assert.ok(Math.abs(lam - want[ci][j]) <= 4e-15 * scale, `${c.label}: λ${j} = ${lam} vs numpy ${want[ci][j]}`);
      // the root interlaces the poles
      assert.ok(lam > c.d[j] && (j === k - 1 || lam < c.d[j + 1]), `${c.label}: λ${j} in its interval`);
      for (let i = 0; i < k; i++) assert.ok(Math.abs(delta[i] - (c.d[i] - lam)) <= 4e-15 * scale, `${c.label}: delta`);
      // f(λ) = 1/ρ + Σ z²/δ vanishes to rounding, evaluated with the returned deltas
      let f = 1 / c.rho;
      let mag = 1 / c.rho;
      for (let i = 0; i < k; i++) {
        f += (c.z[i] * c.z[i]) / delta[i];
        mag += Math.abs((c.z[i] * c.z[i]) / delta[i]);
      }
      assert.ok(Math.abs(f) <= 1e-13 * mag, `${c.label}: secular function at λ${j} is ${f} (terms ${mag})`);
    }
  });
});
