import { fail } from '../errors.ts';
import { GENRES, type Genre } from '../music/index.ts';
import { DEFAULT_SNR, type SnrSpec } from './brain/subjectModel.ts';

/** Everything that defines a simulated dataset; the same config gives byte-identical files. */
export interface SimulationConfig {
  seed: number;
  genres: Genre[];
  /** Training pieces per genre (multiple of 4: 4 per genre per training run). */
  trainPerGenre: number;
  /** Test pieces per genre (one per genre per test run). */
  testPerGenre: number;
  /** Presentations of each test clip (4 in ds003720). */
  testReps: number;
  subjects: number;
  /** Clip length in seconds (15) and TR (1.5); clipSec / tr scans per clip. */
  clipSec: number;
  tr: number;
  /** Voxel edge in mm and the cortical voxel count to aim for (each subject ±10 %). */
  voxelMm: number;
  targetVoxels: number;
  /** Write the raw BOLD runs (`_bold.nii.gz`), not only derivative arrays. */
  raw: boolean;
  snr: SnrSpec;
  /** Audio rate of rendered clips. */
  sampleRate: number;
}

export type PresetName = 'demo' | 'paper';

/**
 * demo: 2 subjects, 10 genres × (8 training + 2 test) clips → 2 training + 2 test runs of
 * 41 clips × 10 scans = 410 scans (the real run length), about 10k cortical voxels at 3 mm, raw
 * runs written. paper: the real dataset's size: 5 subjects, 480 + 60 clips (12 + 6 runs), about
 * 60k voxels at 2 mm; derivative arrays and atlas only unless `raw`.
 */
export const PRESETS: Record<PresetName, SimulationConfig> = {
  demo: {
    seed: 1, genres: [...GENRES], trainPerGenre: 8, testPerGenre: 2, testReps: 4, subjects: 2, clipSec: 15, tr: 1.5,
    voxelMm: 3, targetVoxels: 10000, raw: true, snr: DEFAULT_SNR, sampleRate: 22050,
  },
  paper: {
    seed: 1, genres: [...GENRES], trainPerGenre: 48, testPerGenre: 6, testReps: 4, subjects: 5, clipSec: 15, tr: 1.5,
    voxelMm: 2, targetVoxels: 60000, raw: false, snr: DEFAULT_SNR, sampleRate: 22050,
  },
};

/** Library size per preset when none is given. */
export const DEFAULT_LIBRARY: Record<PresetName, number> = { demo: 500, paper: 5000 };

/** Checks a config and names the first bad value. */
export function validateConfig(c: SimulationConfig): void {
  const scans = c.clipSec / c.tr;
  if (!(c.tr > 0) || !(c.clipSec > 0) || Math.abs(scans - Math.round(scans)) > 1e-9) fail('BAD_INPUT', `clipSec ${c.clipSec} must be a positive multiple of tr ${c.tr} (whole scans per clip).`);
  if (c.genres.length === 0 || c.genres.some((g) => !GENRES.includes(g))) fail('BAD_INPUT', `genres must be a non-empty subset of ${GENRES.join(', ')}.`);
  if (!Number.isInteger(c.subjects) || c.subjects < 1 || c.subjects > 99) fail('BAD_INPUT', `subjects must be 1..99, got ${c.subjects}.`);
  if (!Number.isInteger(c.seed) || c.seed < 0) fail('BAD_INPUT', `seed must be a non-negative integer, got ${c.seed}.`);
  if (!(c.voxelMm > 0) || !(c.targetVoxels >= 300)) fail('BAD_INPUT', `voxelMm must be > 0 and targetVoxels >= 300 (148 ROIs), got ${c.voxelMm} and ${c.targetVoxels}.`);
}
