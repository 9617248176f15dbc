import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClipWindows } from '../embed/index.ts';
import { fail } from '../errors.ts';
import { readNpy, readTsv } from '../io/index.ts';

/** The simulator's own stimulus features as encoding feature spaces. */
export interface SimulatedFeatureSpaces {
  /** The 9 acoustic features the auditory ROIs respond to: one window per scan of a clip (`clips × scans × 9`). */
  acoustic: ClipWindows;
  /** The musical parameters the higher ROIs respond to: one vector per clip (`clips × 1 × dim`). */
  musical: ClipWindows;
}

/**
 * simulatedFeatureSpaces(root) → the features that drove a simulated dataset's ground truth, read
 * from `root/stimuli/{acoustic_features,musical_features}.npy` (rows in the order of
 * `stimuli.tsv`), shaped for `encodeSubject`: what an encoding model could explain at best, to
 * score encoding maps against the truth. Raw values, as written; the encoding design z-scores
 * columns with the training scans' statistics.
 *
 * @example const { acoustic, musical } = simulatedFeatureSpaces('/tmp/sim');
 *   encodeSubject(resp, [{ name: 'acoustic', spaces: [acoustic] }]);
 */
export function simulatedFeatureSpaces(root: string): SimulatedFeatureSpaces {
  const configPath = join(root, 'simulation.json');
  if (!existsSync(configPath)) fail('NOT_FOUND', `${root} has no simulation.json: it is not a dataset written by \`brain2music simulate\`, which alone has the simulator's stimulus features.`);
  const { config } = JSON.parse(readFileSync(configPath, 'utf8')) as { config: { tr: number } };
  const clipIds = readTsv(join(root, 'stimuli', 'stimuli.tsv')).rows.map((r) => r.clip_id!);
  const read = (file: string, rank: number) => {
    const path = join(root, 'stimuli', file);
    const a = readNpy(path);
    if (a.shape.length !== rank || a.shape[0] !== clipIds.length || !(a.data instanceof Float32Array)) {
      fail('BAD_FILE', `${path} has shape [${a.shape.join(', ')}] (${a.dtype}); expected float32 with ${rank} axes and ${clipIds.length} clips (the rows of stimuli.tsv). Simulate the dataset again.`);
    }
    return { data: Float32Array.from(a.data), shape: a.shape };
  };
  const ac = read('acoustic_features.npy', 3);
  const mu = read('musical_features.npy', 2);
  const nScans = ac.shape[1]!;
  return {
    acoustic: {
      name: 'acoustic', source: join(root, 'stimuli', 'acoustic_features.npy'), clipIds, data: ac.data, nWindows: nScans, dim: ac.shape[2]!,
      windowStarts: Array.from({ length: nScans }, (_, j) => j * config.tr), windowSec: config.tr,
    },
    musical: { name: 'musical', source: join(root, 'stimuli', 'musical_features.npy'), clipIds, data: mu.data, nWindows: 1, dim: mu.shape[1]!, windowStarts: [0], windowSec: 0 },
  };
}
