import { fail } from '../errors.ts';

/**
 * How many samples of silence make `have` samples last `need`: 0 when there are enough, the
 * shortfall when it is at most `maxPadSec` seconds, null when the audio is short by more.
 *
 * @example paddingSamples(719040, 720000, 48000, 0.5) // 960 (14.98 s → 15 s: 20 ms of silence)
 * @example paddingSamples(576000, 720000, 48000, 0.5) // null (12 s is 3 s short)
 */
export function paddingSamples(have: number, need: number, sampleRate: number, maxPadSec: number): number | null {
  if (!Number.isFinite(maxPadSec) || maxPadSec < 0) fail('BAD_INPUT', `maxPadSec (--max-pad) must be a number of seconds >= 0, got ${maxPadSec}.`);
  const short = need - have;
  if (short <= 0) return 0;
  return short <= Math.round(maxPadSec * sampleRate) ? short : null;
}
