import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fail } from '../../errors.ts';
import type { Projection } from './projection.ts';

/** Where the builtin model's projection ships (refit with `npm run embed:refit`). */
export const PROJECTION_PATH = fileURLToPath(new URL('../data/builtin-projection.json', import.meta.url));

/** The stored projection and where it came from. */
export interface StoredProjection extends Projection {
  featureNames: string[];
  /** How the reference corpus was made (generator, seed, clips, windows). */
  corpus: Record<string, unknown>;
  /** Short identifier of this fit, written into embeddings' `version`. */
  id: string;
}

interface ProjectionJson {
  format: 'brain2music-builtin-projection';
  id: string;
  featureNames: string[];
  dim: number;
  corpus: Record<string, unknown>;
  mean: number[];
  std: number[];
  explained: number[];
  components: number[];
}

/** Serialises a projection (numbers rounded to float32 precision, 9 significant digits). */
export function projectionToJson(p: Projection, featureNames: string[], corpus: Record<string, unknown>, id: string): string {
  const r = (a: Float64Array): number[] => Array.from(a, (v) => Number(Math.fround(v).toPrecision(9)));
  const json: ProjectionJson = {
    format: 'brain2music-builtin-projection', id, featureNames, dim: p.dim, corpus,
    mean: r(p.mean), std: r(p.std), explained: r(p.explained), components: r(p.components),
  };
  return JSON.stringify(json) + '\n';
}

/** Reads the stored projection and checks it matches the feature list of this version. */
export function loadProjection(expectedNames: string[], path = PROJECTION_PATH): StoredProjection {
  let json: ProjectionJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ProjectionJson;
  } catch (err) {
    return fail('INTERNAL', `cannot read the builtin model's projection ${path}: ${(err as Error).message}. Reinstall brain2music or run 'npm run embed:refit'.`, err);
  }
  const p = expectedNames.length;
  if (json.format !== 'brain2music-builtin-projection' || json.featureNames.join('\n') !== expectedNames.join('\n') ||
      json.mean.length !== p || json.std.length !== p || json.components.length !== json.dim * p) {
    fail('INTERNAL', `the builtin model's projection ${path} does not match its ${p} features; run 'npm run embed:refit' to refit it.`);
  }
  return {
    nFeatures: p, dim: json.dim, mean: Float64Array.from(json.mean), std: Float64Array.from(json.std),
    components: Float64Array.from(json.components), explained: Float64Array.from(json.explained),
    featureNames: json.featureNames, corpus: json.corpus, id: json.id,
  };
}
