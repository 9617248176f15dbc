import type { ListeningAnswer, ListeningKind } from '../run/index.ts';
import { binomialTest, clopperPearson, fleissKappa } from '../stats/index.ts';

/** How every listening number is computed, written beside them. */
export const LISTENING_METHOD = {
  unit: 'answers (one per listener and trial)',
  chance: 0.5,
  interval: 'Clopper–Pearson exact 95% interval',
  test: 'exact binomial test against 0.5, two-sided',
  agreement: "Fleiss' kappa over the trials every listener answered (categories: chose the right reconstruction or the foil), and raw agreement over each pair of listeners' shared trials with the agreement their own rates give by chance",
} as const;

/** A fraction correct with its interval and test; `n` answers, `chance` 0.5. */
export interface ProportionScore {
  correct: number;
  n: number;
  /** correct / n (NaN when n = 0). */
  fraction: number;
  /** Clopper–Pearson exact 95% interval. */
  ci95: [number, number];
  /** Exact binomial test against 0.5, two-sided. */
  p: number;
  chance: 0.5;
}

/** A fraction correct, also split by the kind of foil. */
export interface ListeningGroupScore extends ProportionScore {
  genreMatched: ProportionScore;
  genreMismatched: ProportionScore;
}

/** Agreement between listeners (null with fewer than two listeners sharing trials). */
export interface ListenerAgreement {
  /** Fleiss' kappa over the trials answered by every listener; chance 0; NaN when all chose alike (kappa undefined). */
  fleissKappa: { value: number; nTrials: number; nListeners: number; chance: 0 } | null;
  /** Fraction of shared (pair, trial) items where both listeners chose the same candidate; chance from each listener's own rate. */
  pairwise: { value: number; nShared: number; nPairs: number; chance: number } | null;
}

/** A listening test of one kind, scored. */
export interface ListeningScore {
  kind: ListeningKind;
  nListeners: number;
  nAnswers: number;
  overall: ListeningGroupScore;
  /** Per fMRI subject whose reconstructions were heard. */
  perSubject: Record<string, ListeningGroupScore>;
  perListener: Record<string, ListeningGroupScore>;
  agreement: ListenerAgreement;
  method: typeof LISTENING_METHOD;
}

/** The fraction correct of `answers` with its interval and test. */
export function proportionScore(answers: readonly { correct: boolean }[]): ProportionScore {
  const n = answers.length;
  const correct = answers.filter((a) => a.correct).length;
  return { correct, n, fraction: n ? correct / n : Number.NaN, ci95: clopperPearson(correct, n), p: binomialTest(correct, n, 0.5, 'two-sided'), chance: 0.5 };
}

function groupScore(answers: readonly ListeningAnswer[]): ListeningGroupScore {
  return { ...proportionScore(answers), genreMatched: proportionScore(answers.filter((a) => a.foilGenreMatch)), genreMismatched: proportionScore(answers.filter((a) => !a.foilGenreMatch)) };
}

function groupBy(answers: readonly ListeningAnswer[], key: (a: ListeningAnswer) => string): Record<string, ListeningGroupScore> {
  const groups = new Map<string, ListeningAnswer[]>();
  for (const a of answers) groups.set(key(a), [...(groups.get(key(a)) ?? []), a]);
  return Object.fromEntries([...groups.keys()].sort().map((k) => [k, groupScore(groups.get(k)!)]));
}

/** Fleiss' kappa and pairwise agreement of the listeners' answers (see {@link ListenerAgreement}). */
export function listenerAgreement(answers: readonly ListeningAnswer[]): ListenerAgreement {
  const byListener = new Map<string, Map<string, boolean>>();
  for (const a of answers) {
    const m = byListener.get(a.listener) ?? new Map<string, boolean>();
    m.set(a.trial, a.correct);
    byListener.set(a.listener, m);
  }
  const listeners = [...byListener.keys()].sort();
  if (listeners.length < 2) return { fleissKappa: null, pairwise: null };
  const rate = (m: Map<string, boolean>) => [...m.values()].filter(Boolean).length / m.size;
  let agree = 0;
  let shared = 0;
  let expected = 0;
  let nPairs = 0;
  for (let i = 0; i < listeners.length; i++) {
    for (let j = i + 1; j < listeners.length; j++) {
      const a = byListener.get(listeners[i]!)!;
      const b = byListener.get(listeners[j]!)!;
      const both = [...a.keys()].filter((t) => b.has(t));
      if (both.length === 0) continue;
      nPairs++;
      const [pa, pb] = [rate(a), rate(b)];
      for (const t of both) {
        if (a.get(t) === b.get(t)) agree++;
        expected += pa * pb + (1 - pa) * (1 - pb);
      }
      shared += both.length;
    }
  }
  const all = [...byListener.values()];
  const common = [...all[0]!.keys()].filter((t) => all.every((m) => m.has(t))).sort();
  const counts = new Int32Array(common.length * 2);
  common.forEach((t, i) => {
    for (const m of all) counts[i * 2 + (m.get(t) ? 0 : 1)]!++;
  });
  return {
    fleissKappa: common.length ? { value: fleissKappa(counts, common.length, 2), nTrials: common.length, nListeners: listeners.length, chance: 0 } : null,
    pairwise: shared ? { value: agree / shared, nShared: shared, nPairs, chance: expected / shared } : null,
  };
}

/**
 * Scores the answers of one kind of listening test: the fraction of trials in which the listener
 * chose the reconstruction of the clip heard, over all answers, per fMRI subject and per
 * listener, each split by genre-matched and mismatched foils, with a Clopper–Pearson exact 95%
 * interval and an exact two-sided binomial test against chance (0.5), and the agreement between
 * listeners. Answers are counted as independent Bernoulli trials (see docs/listening.md for what
 * that assumes).
 */
export function scoreListening(kind: ListeningKind, answers: readonly ListeningAnswer[]): ListeningScore {
  const own = answers.filter((a) => a.kind === kind);
  return {
    kind,
    nListeners: new Set(own.map((a) => a.listener)).size,
    nAnswers: own.length,
    overall: groupScore(own),
    perSubject: groupBy(own, (a) => a.subject),
    perListener: groupBy(own, (a) => a.listener),
    agreement: listenerAgreement(own),
    method: LISTENING_METHOD,
  };
}
