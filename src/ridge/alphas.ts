import { RIDGE_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';

/** `num` values 10^x with x evenly spaced from `start` to `stop` inclusive (numpy.logspace). */
export function logspace(start: number, stop: number, num: number): Float64Array {
  if (!Number.isInteger(num) || num < 1) fail('BAD_INPUT', `logspace: num must be a positive integer, got ${num}.`);
  if (num === 1) return new Float64Array([10 ** start]);
  return Float64Array.from({ length: num }, (_, i) => 10 ** (start + ((stop - start) * i) / (num - 1)));
}

/** The default alpha grid: logspace(-2, 8, 20). */
export function defaultAlphas(): Float64Array {
  const g = RIDGE_DEFAULTS.alphaGrid;
  return logspace(g.start, g.stop, g.num);
}

/** Checks that alphas are a non-empty list of finite positive numbers and returns them as float64. */
export function checkAlphas(alphas: ArrayLike<number>): Float64Array {
  if (alphas.length === 0) fail('BAD_INPUT', 'The alpha grid is empty; give at least one positive alpha (e.g. --alphas logspace:-2:8:20).');
  const out = Float64Array.from(alphas);
  out.forEach((a, i) => {
    if (!Number.isFinite(a) || a <= 0) fail('BAD_INPUT', `Alpha #${i + 1} is ${a}; every alpha must be a finite number > 0.`);
  });
  return out;
}
