import { existsSync } from 'node:fs';
import { atRate } from '../dsp/index.ts';
import { readAudio, writeWav } from '../io/index.ts';
import { acousticFeatures, ACOUSTIC_FEATURES } from './acousticFeatures.ts';
import type { Arrangement } from './arrangement.ts';
import { renderArrangement } from './renderArrangement.ts';

/** One clip to render to a WAV file (mono PCM16), skipped when the file already exists. */
export interface RenderJob {
  path: string;
  arrangement: Arrangement;
}

export interface RenderJobOptions {
  sampleRate: number;
  /** Compute acoustic features per segment of this many seconds from the written file (0 = none). */
  featureSegmentSec: number;
}

/** What a job produced: whether it rendered (false = file was there) and its acoustic features (segments × F). */
export interface RenderJobResult {
  rendered: boolean;
  segments: number;
  features: Float32Array;
}

/**
 * runRenderJob(job, opts) → renders `job.arrangement` to `job.path` unless the file exists, then
 * (optionally) computes acoustic features from the file as written, so a resumed run gives the
 * same features as a fresh one.
 */
export async function runRenderJob(job: RenderJob, opts: RenderJobOptions): Promise<RenderJobResult> {
  let rendered = false;
  if (!existsSync(job.path)) {
    const x = await renderArrangement(job.arrangement, { sampleRate: opts.sampleRate });
    writeWav(job.path, x, opts.sampleRate, { format: 'pcm16' });
    rendered = true;
  }
  if (opts.featureSegmentSec <= 0) return { rendered, segments: 0, features: new Float32Array(0) };
  const samples = atRate(await readAudio(job.path), opts.sampleRate);
  const f = acousticFeatures(samples, opts.sampleRate, { segmentSec: opts.featureSegmentSec });
  return { rendered, segments: f.segments, features: f.data };
}

export const N_ACOUSTIC = ACOUSTIC_FEATURES.length;
