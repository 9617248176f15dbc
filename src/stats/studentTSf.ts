import { betaIncReg } from './betaIncReg.ts';

/**
 * Upper tail of Student's t distribution: P(T ≥ t) for T ~ t(dof), dof > 0 (NaN otherwise).
 * Uses P(T ≥ t) = ½ · I_{dof/(dof+t²)}(dof/2, ½) for t ≥ 0, and 1 minus that for t < 0.
 * @example studentTSf(2.228138851986, 10) // → 0.025
 */
export function studentTSf(t: number, dof: number): number {
  if (Number.isNaN(t) || !(dof > 0)) return Number.NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  const half = 0.5 * betaIncReg(dof / (dof + t2), dof / 2, 0.5, t2 / (dof + t2));
  return t >= 0 ? half : 1 - half;
}
