import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedClip } from '../../generate/index.ts';
import { GENRES, type Arrangement } from '../../music/index.ts';
import { musicalFeatures, musicalFeatureNames } from '../../simulate/index.ts';

/**
 * A second space to score generated music in: the simulator's musical features (genre, mode,
 * tempo, density, swing, drums, instrument families) of the arrangement a clip was rendered
 * from, z-scored with the library's statistics. Embedding guidance never sees it, so
 * identification here is not the decoding score again.
 */
export interface ArrangementSpace {
  name: string;
  dim: number;
  features: (a: Arrangement) => Float32Array;
}

/** `params.json` of a simulated stimulus folder (the arrangement of every stimulus), or undefined (real stimuli have none). */
export function stimulusParamsFile(stimuliDir: string): string | undefined {
  const file = join(stimuliDir, 'params.json');
  return existsSync(file) ? file : undefined;
}

/** The stimuli's arrangements by clip id, from {@link stimulusParamsFile}; undefined without one. */
export function stimulusArrangements(stimuliDir: string): Record<string, Arrangement> | undefined {
  const file = stimulusParamsFile(stimuliDir);
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as { clips: Record<string, Arrangement> }).clips : undefined;
}

/** The space, standardised with the feature means and standard deviations over `library` arrangements. */
export function arrangementSpace(library: readonly Arrangement[]): ArrangementSpace {
  const dim = musicalFeatureNames(GENRES).length;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (const a of library) musicalFeatures(a, GENRES).forEach((x, j) => { mean[j] += x / library.length; sq[j] += (x * x) / library.length; });
  // a feature constant over the library keeps scale 1 (it then adds the same offset to every clip)
  const scale = mean.map((m, j) => { const v = sq[j]! - m * m; return v > 1e-12 ? 1 / Math.sqrt(v) : 1; });
  return {
    name: 'simulator musical features',
    dim,
    features: (a) => Float32Array.from(musicalFeatures(a, GENRES), (x, j) => (x - mean[j]!) * scale[j]!),
  };
}

/** The arrangement a builtin-generated clip was rendered from (other generators record none). */
export function arrangementOf(clip: GeneratedClip): Arrangement | undefined {
  const a = clip.conditioning.arrangement;
  return a && typeof a === 'object' ? (a as Arrangement) : undefined;
}
