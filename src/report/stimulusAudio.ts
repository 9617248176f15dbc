import { existsSync, readdirSync } from 'node:fs';
import type { ClipAudioSource, EmbeddingsMeta } from '../embed/index.ts';
import { readRunJson, runLayout, runPath } from '../run/index.ts';

/** Where each stimulus clip's audio came from, as the embed stage recorded it. */
export type StimulusAudio = Map<string, ClipAudioSource>;

/**
 * The stimuli's audio sources from the run's embeddings (the decoded target's first, then any
 * other model that read audio): the report reads the run folder, never the configuration.
 */
export function stimulusAudio(runDir: string, targets: readonly string[]): StimulusAudio {
  const dir = runPath(runDir, runLayout.embeddings);
  const others = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => f.slice(0, -5)) : [];
  for (const model of [...new Set([...targets, ...others])]) {
    const meta = readRunJson<EmbeddingsMeta>(runPath(runDir, runLayout.embedding(model).json));
    if (meta?.sources) return new Map(Object.entries(meta.sources));
  }
  return new Map();
}

