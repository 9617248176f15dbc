// Every default a user can change, declared once. The science functions, the configuration
// schema, the CLI help and the jobs all read them from here, so they cannot disagree.

/** Alignment of scans to embedding windows. */
export const ALIGN_DEFAULTS = {
  /** Hemodynamic lag in TRs: 4.5 s at TR 1.5 s, as later work on ds003720 uses (the paper names none). */
  lagTr: 3,
  /** Scans per 15 s clip at TR 1.5 s. */
  scansPerClip: 10,
  /** Shared dimensions per block of a shared response model (brainiak's SRM default, `features=50`). */
  srmDims: 50,
  /** Alternations of the shared response model (brainiak's default `n_iter=10`). */
  srmIterations: 10,
} as const;

/** The ridge engine. */
export const RIDGE_DEFAULTS = {
  /** Cross-validation folds (grouped by clip). */
  folds: 5,
  /** Candidate alphas: logspace(start, stop, num). */
  alphaGrid: { start: -2, stop: 8, num: 20 },
} as const;

/** Decoding fMRI → embedding. */
export const DECODE_DEFAULTS = {
  /** ROIs kept in the ensemble (the paper's 6). */
  topRois: 6,
  /** ROI ranking score: 'inner' (the alpha search's CV r) or 'nested' (out-of-fold predictions). */
  cvScore: 'inner',
  /**
   * Voxels kept by the encoding-based selection when a subject has no atlas: about the 3,000 that
   * Ciferri et al. (2025) kept on ds003720 (encoding CV r > 0.05); a count, not a threshold, so
   * every subject's decoder has the same size and a noisy threshold never selects nothing.
   */
  encodingVoxels: 3000,
  /** Cross-subject functional alignment of the pooled decoder: 'none' (within-subject decoding only), 'ridge' or 'srm'. */
  alignment: 'none',
} as const;

/** Music embeddings of the stimuli. */
export const EMBED_DEFAULTS = {
  /** Stimulus clip length, seconds. */
  clipSec: 15,
  /** Window step, seconds (one TR). */
  hopSec: 1.5,
  /** Window length when a model has none of its own, seconds. */
  windowSec: 10,
  /** Fade in and out of excerpts cut from full tracks (the dataset's), seconds. */
  fadeSec: 2,
  /**
   * Seconds of silence appended to audio a little shorter than needed: real GTZAN tracks last
   * 29.9x s, and excerpts cut with common tools can last 14.98 s. Longer shortfalls fail.
   */
  maxPadSec: 0.5,
} as const;

/** Retrieval from the music library. */
export const RETRIEVE_DEFAULTS = {
  /** Tracks returned per query. */
  k: 5,
  /** Hubness reduction of the retrieval scores: plain cosine, as the paper (see library/hubness.ts). */
  hubness: 'none',
  /** Seconds of each library track embedded (from its start). */
  excerptSec: 15,
  /** Tracks per library commit: an interrupted build loses at most this many; each commit adds a fragment. */
  batch: 256,
  /**
   * How the pipeline searches the library: 'auto' uses the library's ANN index when it has one
   * (see annMinTracks), else an exact search streamed through the table; 'exact' or 'ann' force one.
   */
  search: 'auto',
  /**
   * A library build with "ann": "auto" indexes (IVF_PQ) from this many tracks: below it an exact
   * search of 60 test clips is fast enough (a few hundred ms) and has no recall loss.
   */
  annMinTracks: 100_000,
  /** Library builds: the ANN index by size (true / false: always / never). */
  ann: 'auto' as boolean | 'auto',
  /** ANN search: IVF partitions probed. */
  nprobes: 20,
  /**
   * ANN search: refineFactor × k candidates re-ranked with the full vectors. 100: recall@10 1.000
   * on bench:ann's 1M vectors (1,000 queries), against 0.984–0.987 at 50 (docs/retrieval.md).
   */
  refineFactor: 100,
  /** ANN search: queries per LanceDB vector query (a batch holds its queries' candidates at once). */
  annQueryBatch: 32,
} as const;

/** Music generation from decoded embeddings. */
export const GENERATE_DEFAULTS = {
  /** Retrieval-guided prompts: how decoded embeddings reach the caption bank's text space ('auto': directly for a joint model's music tower, else the linear map). */
  guideMap: 'auto' as 'auto' | 'identity' | 'linear',
  /** Retrieval-guided prompts: bank captions joined into one prompt. */
  guideTop: 1,
  samples: 1,
  /** Candidates re-ranked by the encoding model (0: none). */
  rerank: 0,
  /** Candidates when re-ranking is asked for without a number. */
  rerankCandidates: 10,
  /**
   * Draws per sample, the closest to the conditioning embedding kept (1: none). This default and
   * the temperature's were chosen by `npm run bench:tune-generation` on a seed-2 simulation's
   * training clips decoded out of fold, never on a reported clip (docs/generation.md).
   */
  guidance: 1,
  /** Sampling temperature (0: the most likely music). */
  temperature: 0,
  /** Seconds of music per sample (the stimuli's length). */
  durationSec: 15,
} as const;

/** Voxelwise encoding and its significance. */
export const ENCODE_DEFAULTS = {
  /** FIR delays in TRs. */
  delays: [1, 2, 3, 4] as readonly number[],
  /** Benjamini–Hochberg FDR level. */
  fdrQ: 0.05,
  /** Null distribution of the test correlations. */
  null: 'block',
  /** Block-null shuffles: the counted p cannot go below 1/(1 + nPerm). */
  nPerm: 10_000,
  /** p beyond every shuffle: 'gpd' fits the null's tail (generalized Pareto, as PALM), 'none' keeps the count. */
  pTail: 'gpd',
} as const;

/** Reading a dataset's responses. */
export const DATASET_DEFAULTS = {
  /** Which responses: the derivative arrays when present, else the raw runs. */
  source: 'auto',
  /** fMRIPrep output space read (FreeSurfer parcellations are in T1w). */
  space: 'T1w',
  /** Motion regressors removed per run (fMRIPrep's six rigid-body parameters). */
  confounds: 'motion6',
  /** FreeSurfer parcellation: Destrieux (the paper's) when present, else Desikan–Killiany. */
  parcellation: 'auto',
} as const;

/** The listening test (`brain2music listen`). */
export const LISTEN_DEFAULTS = {
  /** TCP port on 127.0.0.1 (`serve` uses 8000, so both can run at once). */
  port: 8001,
  /** Trials per listener. */
  trials: 20,
  /** What the listener compares with the original: music generated from the decoded embedding, or the retrieved library track. */
  kind: 'generated',
  /** Seed of the trials (each listener's order and sides also depend on their name). */
  seed: 0,
} as const;
