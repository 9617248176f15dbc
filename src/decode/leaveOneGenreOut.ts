import { fail } from '../errors.ts';
import { averageWindows, identificationAccuracy } from '../evaluate/index.ts';
import { fitRoiEnsemble, type DecoderTrainingData, type RoiEnsemble } from './fitRoiEnsemble.ts';
import type { CvScoreMode } from './fitVoxelDecoder.ts';
import { predictRoiEnsemble } from './predictRoiEnsemble.ts';
import type { Roi } from './roiList.ts';
import { takeRows } from './takeRows.ts';

/** One held-out genre. */
export interface HeldOutGenre {
  genre: string;
  trainClips: number;
  heldOutClips: number;
  /** Identification among the held-out genre's clips (windows / clips as items), chance 0.5. */
  identification: { windows: number; clips: number };
  /** ROIs the decoder trained without this genre chose (a voxel-selection decoder: its label, e.g. `encoding:3000`). */
  rois: string[];
}

export interface LeaveOneGenreOutResult {
  genres: HeldOutGenre[];
  /** Mean over genres of the clip-level identification. */
  meanClips: number;
  /** Mean over genres of the window-level identification. */
  meanWindows: number;
  chance: number;
}

/**
 * Leave-one-genre-out: for each genre g, fit the whole ROI ensemble (standardisation, ROI choice,
 * alphas; or, given a fitter instead of ROIs, that decoder, e.g. a voxel selection with its
 * encoding models) on the training clips of the other genres, predict the training-split clips of g
 * (never seen by that model) and score identification among them. Within-genre identification
 * asks whether the decoder carries musical information beyond the genre it never heard.
 *
 * @param train the training rows (`clips × windows` rows, clip index in `groups`)
 * @param clipIds clip id per clip index
 * @param decoder the candidate ROIs of the ensemble, or a function fitting the decoder on given training rows
 */
export async function leaveOneGenreOut(
  train: DecoderTrainingData,
  clipIds: readonly string[],
  nWindows: number,
  decoder: readonly Roi[] | ((train: DecoderTrainingData) => Promise<RoiEnsemble>),
  opts: { k?: number; folds?: number; alphas?: ArrayLike<number>; cvScore?: CvScoreMode; genreOf: (id: string) => string; onProgress?: (done: number, total: number) => void },
): Promise<LeaveOneGenreOutResult> {
  const genreOfClip = clipIds.map(opts.genreOf);
  const genres = [...new Set(genreOfClip)].sort();
  if (genres.length < 2) fail('BAD_INPUT', `leave-one-genre-out needs clips of at least 2 genres, found ${genres.length}.`);
  const { nVoxels: V, nTargets: T } = train;
  const out: HeldOutGenre[] = [];
  for (const [gi, genre] of genres.entries()) {
    const inRows: number[] = [];
    const outRows: number[] = [];
    for (let r = 0; r < train.groups.length; r++) (genreOfClip[train.groups[r]] === genre ? outRows : inRows).push(r);
    const heldOutClips = new Set(outRows.map((r) => train.groups[r])).size;
    if (heldOutClips < 2) fail('BAD_INPUT', `genre ${genre} has ${heldOutClips} training clip; identification within a genre needs at least 2.`);
    const sub: DecoderTrainingData = {
      X: takeRows(train.X, V, inRows),
      nVoxels: V,
      Y: takeRows(train.Y, T, inRows),
      nTargets: T,
      groups: Int32Array.from(inRows, (r) => train.groups[r]),
    };
    const model = typeof decoder === 'function'
      ? await decoder(sub)
      : await fitRoiEnsemble(sub, decoder, { k: opts.k, folds: opts.folds, alphas: opts.alphas, cvScore: opts.cvScore });
    const pred = await predictRoiEnsemble(model, takeRows(train.X, V, outRows));
    const target = takeRows(train.Y, T, outRows);
    // Rows of a clip are contiguous (clip-major alignment), so outRows is clips × windows.
    const idW = identificationAccuracy(pred, target, outRows.length, T).mean;
    const idC = identificationAccuracy(averageWindows(pred, heldOutClips, nWindows, T), averageWindows(target, heldOutClips, nWindows, T), heldOutClips, T).mean;
    out.push({ genre, trainClips: new Set(sub.groups).size, heldOutClips, identification: { windows: idW, clips: idC }, rois: model.members.map((m) => m.roi.name) });
    opts.onProgress?.(gi + 1, genres.length);
  }
  const mean = (f: (g: HeldOutGenre) => number) => out.reduce((s, g) => s + f(g), 0) / out.length;
  return { genres: out, meanClips: mean((g) => g.identification.clips), meanWindows: mean((g) => g.identification.windows), chance: 0.5 };
}
