import { clipId as gtzanClipId } from '../bids/index.ts';
import { fail } from '../errors.ts';
import type { Genre } from '../music/index.ts';
import { createRng, deriveSeed } from '../linalg/index.ts';

/** One stimulus clip of the dataset: id `genre.000NN`, GTZAN-style track index, split. */
export interface StimulusClip {
  id: string;
  genre: Genre;
  track: number;
  split: 'training' | 'test';
}

/** One fMRI run: the clips in play order, the first being the duplicate that analyses drop. */
export interface RunSchedule {
  task: 'Training' | 'Test';
  /** 1-based run number. */
  run: number;
  /** Clip ids in play order; index 0 is the duplicate first clip. */
  clipIds: string[];
}

export interface Schedule {
  clips: StimulusClip[];
  runs: RunSchedule[];
}

/** GTZAN-style clip id: 'blues.00017'. */
export function clipId(genre: Genre, track: number): string {
  return gtzanClipId(genre, track);
}

/**
 * buildSchedule({ genres, trainPerGenre, testPerGenre, testReps, seed }) → the ds003720 schedule:
 * training run r (1-based) plays pieces 4(r-1)..4(r-1)+3 of every genre in shuffled order; test
 * run r plays piece trainPerGenre+(r-1) of every genre `testReps` times (each repetition a fresh
 * shuffle, never the same clip twice in a row). Every run starts with a duplicate: training runs
 * repeat the previous run's last clip, test runs their own last clip. Training run 1 has no
 * previous run, so it repeats its own last clip, like a test run. `trainPerGenre` must be a
 * multiple of 4. Stimulus order is shared by all subjects.
 */
export function buildSchedule(opts: { genres: readonly Genre[]; trainPerGenre: number; testPerGenre: number; testReps: number; seed: number }): Schedule {
  const { genres, trainPerGenre, testPerGenre, testReps } = opts;
  if (trainPerGenre % 4 !== 0 || trainPerGenre <= 0) fail('BAD_INPUT', `trainPerGenre must be a positive multiple of 4 (4 pieces per genre per training run), got ${trainPerGenre}.`);
  if (testPerGenre < 0 || testReps < 1) fail('BAD_INPUT', `testPerGenre must be >= 0 and testReps >= 1, got ${testPerGenre} and ${testReps}.`);
  const rng = createRng(deriveSeed(opts.seed, 0x5c4ed));
  const clips: StimulusClip[] = [];
  for (const g of genres) {
    for (let t = 0; t < trainPerGenre; t++) clips.push({ id: clipId(g, t), genre: g, track: t, split: 'training' });
    for (let t = 0; t < testPerGenre; t++) clips.push({ id: clipId(g, trainPerGenre + t), genre: g, track: trainPerGenre + t, split: 'test' });
  }
  const runs: RunSchedule[] = [];
  let previousLast: string | null = null;
  for (let r = 0; r < trainPerGenre / 4; r++) {
    const ids: string[] = [];
    for (const g of genres) for (let k = 0; k < 4; k++) ids.push(clipId(g, 4 * r + k));
    const order = rng.shuffle(ids);
    const dup: string = previousLast ?? order[order.length - 1];
    runs.push({ task: 'Training', run: r + 1, clipIds: [dup, ...order] });
    previousLast = order[order.length - 1];
  }
  for (let r = 0; r < testPerGenre; r++) {
    const ids = genres.map((g) => clipId(g, trainPerGenre + r));
    const order: string[] = [];
    for (let rep = 0; rep < testReps; rep++) {
      let block = rng.shuffle(ids);
      for (let tries = 0; tries < 20 && order.length > 0 && block.length > 1 && block[0] === order[order.length - 1]; tries++) block = rng.shuffle(ids);
      order.push(...block);
    }
    runs.push({ task: 'Test', run: r + 1, clipIds: [order[order.length - 1], ...order] });
  }
  return { clips, runs };
}
