/** The two tasks of ds003720. */
export type Task = 'Training' | 'Test';

/** One music clip (a 15 s excerpt of a GTZAN track). */
export interface ClipInfo {
  /** GTZAN file stem, `<genre>.<track, 5 digits>`, e.g. `blues.00017`. */
  id: string;
  genre: string;
  /** GTZAN track index (0–99). */
  track: number;
  /** Excerpt start and end within the 30 s track, seconds. */
  start: number;
  end: number;
  split: 'training' | 'test';
}

/** One presentation of a clip in a run (the duplicate first clip of each run is not listed). */
export interface Presentation {
  clipId: string;
  task: Task;
  /** BIDS run number (1-based, as in `run-01`). */
  run: number;
  /** 0-based index of the clip's onset scan in that run's response data (after trimming). */
  firstScan: number;
  /** 0..3 for the four presentations of a test clip; 0 for training clips. */
  repetition: number;
}

/** The stimulus schedule of one run, shared by all subjects. */
export interface RunSchedule {
  task: Task;
  run: number;
  /** The events file it was read from (first subject that has it). */
  eventsFile: string;
  /** Scans the run should have (last event's end / TR; 410 in ds003720). */
  nScansInFile: number;
  /**
   * Scans cut from the start of the run: the dropped duplicate first clip (10 in ds003720).
   * The run's response data starts at this scan, so it has `nScansInFile - trimmedScans` scans.
   */
  trimmedScans: number;
  /** Scans per clip (clip duration / TR; 10 in ds003720). */
  scansPerClip: number;
  presentations: Presentation[];
}

/** Where one run's files are for one subject (paths that do not exist are `null`). */
export interface RunFiles {
  task: Task;
  run: number;
  bold: string | null;
  events: string | null;
}

/** Files of one subject. */
export interface SubjectFiles {
  subject: string;
  runs: RunFiles[];
  derivative: { training: string | null; test: string | null; testMean: string | null };
  atlas: { dseg: string | null; dsegTsv: string | null; voxelLabels: string | null; voxelIndices: string | null; reference: string | null };
}

/** A dataset in the ds003720 layout (the real one or a simulated one). */
export interface Dataset {
  root: string;
  /** `sub-001`, … (sorted). */
  subjects: string[];
  /** Every clip once: training clips in presentation order (run by run), then test clips in first-presentation order. */
  clips: ClipInfo[];
  /** Repetition time, seconds. */
  tr: number;
  /** Training runs 1..N, then test runs 1..M. */
  schedule: RunSchedule[];
  files: Record<string, SubjectFiles>;
}

/** Responses of one run: `data` is nScans × V row-major float32 (z-scored per run unless asked otherwise). */
export interface RunResponses {
  task: Task;
  run: number;
  nScans: number;
  data: Float32Array;
}

/** ROI labels per voxel (0 = outside cortex / unlabelled) and label names. */
export interface Atlas {
  labels: Int32Array;
  names: Map<number, string>;
}

/** Where the V response columns sit in the BOLD volume. */
export interface VoxelSpace {
  volumeShape: [number, number, number];
  /** The BOLD (or reference) image's affine, row-major 4×4. */
  affine: Float64Array;
  /** Column v → flat voxel index in NIfTI file order (x fastest: `i + nx*(j + ny*k)`). */
  voxelIndices: Int32Array;
}

/** The responses of one subject, ready for alignment. */
export interface SubjectResponses {
  subject: string;
  tr: number;
  nVoxels: number;
  source: 'raw' | 'derivative' | 'fmriprep';
  runs: RunResponses[];
  presentations: Presentation[];
  atlas: Atlas;
  space: VoxelSpace | null;
  /**
   * Test clips with their 4 repetitions averaged, clip by clip (the dataset's `Resp_Test_Mean`):
   * `data` is (clips × scansPerClip) × V, rows of clip c at `c*scansPerClip …`, no hemodynamic lag.
   */
  testMean: { clipIds: string[]; scansPerClip: number; data: Float32Array } | null;
  /** How the responses were made, when they came from fMRIPrep outputs or a user's atlas (for logs and run records). */
  provenance?: ResponseProvenance;
}

/** Where fMRIPrep-route (or user-atlas) responses came from. */
export interface ResponseProvenance {
  /** The fMRIPrep folder and output space read ('fmriprep' source only). */
  fmriprepDir?: string;
  space?: string;
  /** Motion regressors removed per run ('fmriprep' source only). */
  confounds?: 'motion6' | 'motion12' | 'none';
  /** The first run's preprocessed BOLD ('fmriprep' source only): its mean is the maps' background. */
  firstBold?: string;
  /** The label image resampled to the BOLD grid, its kind, the fsnative → T1w transform applied (or null) and the names file (or null). */
  parcellation: { kind: 'destrieux' | 'desikan' | 'user'; file: string; transform: string | null; names: string | null };
  /** Voxels of the (intersected) brain mask, how many fell inside the parcellation's grid, and how many were kept (cortical). */
  nMaskVoxels: number;
  nInsideGrid: number;
  nVoxels: number;
}
