import { createRng, deriveSeed, hashString } from '../linalg/index.ts';

/** Where a trial comes in one listener's session and on which side the right reconstruction is. */
export interface PlannedTrial {
  trial: string;
  /** 1-based place in this listener's order. */
  position: number;
  /** The reconstruction of the heard clip is on the left (else the foil is). */
  clipOnLeft: boolean;
}

/**
 * One listener's order of the trials and the side of each trial's right answer, fixed by the
 * session seed and the listener's name (the same listener always gets the same plan, so a
 * reloaded page resumes where it stopped): the trials in random order, and the right answer on
 * the left in exactly ⌈n/2⌉ of them, at random, so that a listener who always picks one side
 * scores at most about chance.
 */
export function listenerPlan(trialIds: readonly string[], seed: number, listener: string): PlannedTrial[] {
  const rng = createRng(deriveSeed(seed, hashString(`listen:${listener}`)));
  const order = rng.shuffle(trialIds);
  const left = rng.shuffle(order.map((_, i) => i < Math.ceil(order.length / 2)));
  return order.map((trial, i) => ({ trial, position: i + 1, clipOnLeft: left[i]! }));
}
