import { fail } from '../errors.ts';
import type { AlignableResponses } from './responses.ts';

/**
 * The responses with only the first `k` training runs (lowest run numbers) and their clip
 * presentations; every test run is kept. Models "a new subject with little scanner time":
 * `keepTrainingRuns(resp, 1)` leaves the 40 clips of ds003720's first training run. Arrays are
 * shared, not copied; `resp` is not changed. Other fields of `R` (atlas, voxel space) carry over.
 *
 * @throws BAD_INPUT when `k` is not a positive integer or exceeds the training runs there are
 */
export function keepTrainingRuns<R extends AlignableResponses>(resp: R, k: number): R {
  const numbers = [...new Set(resp.runs.filter((r) => r.task === 'Training').map((r) => r.run))].sort((a, b) => a - b);
  if (!Number.isInteger(k) || k < 1) fail('BAD_INPUT', `the number of training runs kept must be a positive integer, got ${k}; e.g. --train-runs 1.`);
  if (k > numbers.length) fail('BAD_INPUT', `--train-runs ${k} asks for more training runs than the ${numbers.length} this subject has; pass at most ${numbers.length}.`);
  const kept = new Set(numbers.slice(0, k));
  const keep = (x: { task: string; run: number }) => x.task !== 'Training' || kept.has(x.run);
  return { ...resp, runs: resp.runs.filter(keep), presentations: resp.presentations.filter(keep) };
}
