/**
 * The part of a subject's responses that alignment reads. `SubjectResponses` from `src/bids`
 * satisfies it structurally; tests can build one directly.
 */
export interface AlignableResponses {
  /** Repetition time in seconds. */
  tr: number;
  /** Voxels per scan (V). */
  nVoxels: number;
  /** One entry per run: `data` is `nScans × V` row-major float32 (z-scored per run). */
  runs: readonly { task: 'Training' | 'Test'; run: number; nScans: number; data: Float32Array }[];
  /**
   * Clip presentations: `firstScan` is the 0-based scan index of the clip's onset in its run's
   * data; `repetition` counts repeats of a clip (0..3 for test clips, 0 for training).
   */
  presentations: readonly { clipId: string; task: 'Training' | 'Test'; run: number; firstScan: number; repetition: number }[];
}

/** Which presentations to align: the training clips or the (repeated) test clips. */
export type Split = 'training' | 'test';

/** Options shared by the alignment functions. */
export interface AlignOptions {
  /**
   * Hemodynamic lag in scans (TRs): the response to a clip starting at scan `f` is read from
   * scans `f + lagTr …`. 3 (4.5 s at TR 1.5) follows later work on ds003720; 0 is the paper's
   * literal description. Integer ≥ 0.
   */
  lagTr: number;
  /** Scans read per clip (10 = 15 s at TR 1.5). */
  scansPerClip?: number;
}

/** A lagged scan that fell past its run's last scan and was replaced by the last scan. */
export interface ClampRecord {
  clipId: string;
  task: 'Training' | 'Test';
  run: number;
  repetition: number;
  /** How many of the clip's `scansPerClip` scans were clamped. */
  scansClamped: number;
}
