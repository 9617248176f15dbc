import { fail } from '../errors.ts';
import type { ClipWindows } from '../embed/index.ts';

/**
 * The genre control of Brain2Music (docs/method.md §1.7): a one-hot genre vector per clip, one window
 * covering the whole clip. Columns follow `genres` (default: the sorted distinct genres of `clips`).
 *
 * @param clips `{ id, genre }` per clip (e.g. the dataset's `ClipInfo[]`)
 * @returns clip windows named `genre` with `dim = genres.length`, `nWindows = 1`, `windowSec = 0`
 * @example genreOneHot([{ id: 'rock.00001', genre: 'rock' }, { id: 'jazz.00002', genre: 'jazz' }]).data
 *   // → [0, 1,  1, 0]   (columns: jazz, rock)
 */
export function genreOneHot(clips: readonly { id: string; genre: string }[], genres?: readonly string[]): ClipWindows {
  const cols = genres ? [...genres] : [...new Set(clips.map((c) => c.genre))].sort();
  if (cols.length === 0) fail('BAD_INPUT', 'genreOneHot: no clips, so no genres; pass the dataset clips.');
  const column = new Map(cols.map((g, i) => [g, i]));
  const data = new Float32Array(clips.length * cols.length);
  clips.forEach((c, i) => {
    const j = column.get(c.genre);
    if (j === undefined) fail('BAD_INPUT', `genreOneHot: clip '${c.id}' has genre '${c.genre}', not one of ${cols.join(', ')}.`);
    data[i * cols.length + j] = 1;
  });
  return { name: 'genre', source: 'the genre one-hot of the dataset\'s clips', clipIds: clips.map((c) => c.id), data, nWindows: 1, dim: cols.length, windowStarts: [0], windowSec: 0 };
}
