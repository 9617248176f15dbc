import { fail } from '../errors.ts';
import type { Rng } from '../linalg/index.ts';
import type { ListeningTrial } from '../run/index.ts';

/** A test clip of one subject that can be a trial: its original and its reconstruction exist. */
export interface ListeningCandidate {
  subject: string;
  clip: string;
  genre: string;
}

/**
 * Draws `nTrials` two-alternative trials. Each trial is a (subject, clip) pair; its foil is the
 * reconstruction of another test clip of the same subject, drawn uniformly among that subject's
 * clips of the same genre (a genre-matched foil) or of other genres (a mismatched foil). The
 * pairs are shuffled and given matched and mismatched foils in turn, so that both kinds are
 * represented (a pair whose genre has no second clip gets a mismatched foil); past one trial per
 * pair, each pair comes back once more with the other kind of foil. At most one trial per pair
 * and kind, so at most 2 × pairs trials.
 *
 * @param candidates the (subject, clip) pairs; a subject needs at least two clips
 * @param rng the seeded generator (its draws fix the trials)
 * @throws BAD_INPUT when fewer trials can be drawn than asked for (the message gives the most)
 */
export function drawListeningTrials(candidates: readonly ListeningCandidate[], nTrials: number, rng: Rng): ListeningTrial[] {
  const bySubject = new Map<string, ListeningCandidate[]>();
  for (const c of candidates) bySubject.set(c.subject, [...(bySubject.get(c.subject) ?? []), c]);
  const foils = (c: ListeningCandidate, matched: boolean) =>
    (bySubject.get(c.subject) ?? []).filter((f) => f.clip !== c.clip && (f.genre === c.genre) === matched);
  const pairs = rng.shuffle(candidates.filter((c) => foils(c, true).length + foils(c, false).length > 0));
  const first = pairs.map((c, i) => ({ c, matched: i % 2 === 0 ? foils(c, true).length > 0 : foils(c, false).length === 0 }));
  const second = first.filter(({ c, matched }) => foils(c, !matched).length > 0).map(({ c, matched }) => ({ c, matched: !matched }));
  const plan = [...first, ...second];
  if (nTrials > plan.length) {
    fail('BAD_INPUT', `${nTrials} listening trials asked for, but the run's test clips give at most ${plan.length} (${pairs.length} subject × clip pairs with a reconstruction, each with a genre-matched and a mismatched foil where possible); pass --trials ${plan.length} or fewer.`);
  }
  const width = String(nTrials).length;
  return plan.slice(0, nTrials).map(({ c, matched }, i) => {
    const f = rng.pick(foils(c, matched));
    return { trial: `t${String(i + 1).padStart(Math.max(2, width), '0')}`, subject: c.subject, clip: c.clip, clipGenre: c.genre, foil: f.clip, foilGenre: f.genre, foilGenreMatch: matched };
  });
}
