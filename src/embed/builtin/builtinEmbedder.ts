import type { Embedder } from '../embedder.ts';
import { AUDITORY } from './auditorySpectrogram.ts';
import { auditoryFeatureNames, auditoryFeatures } from './auditoryFeatures.ts';
import { applyProjection } from './projection.ts';
import { loadProjection } from './projectionFile.ts';

/** Version of the builtin feature definitions; bump when any feature changes (then refit). */
export const BUILTIN_VERSION = 'builtin-1';

/**
 * The builtin auditory embedding (no download): spectro-temporal modulation, timbre, rhythm and
 * tonal features of each window (see `auditoryFeatures`), z-scored and projected to 128-d with
 * the PCA fitted once on the reference corpus (`src/embed/data/builtin-projection.json`).
 * Any window length of at least 0.5 s works; windows are 22050 Hz mono.
 *
 * @example const e = createBuiltinEmbedder(); const v = await e.embed([w10s]); // Float32Array(128)
 */
export function createBuiltinEmbedder(): Embedder {
  const proj = loadProjection(auditoryFeatureNames());
  return {
    name: 'builtin',
    version: `${BUILTIN_VERSION}+${proj.id}`,
    dim: proj.dim,
    sampleRate: AUDITORY.sampleRate,
    windowSec: 0,
    async embed(windows: Float32Array[]): Promise<Float32Array> {
      const out = new Float32Array(windows.length * proj.dim);
      windows.forEach((w, i) => applyProjection(proj, auditoryFeatures(w), out, i * proj.dim));
      return out;
    },
  };
}
