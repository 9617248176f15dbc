import { fail } from '../../errors.ts';
import { GTZAN_GENRES, genreOfClipId } from '../../bids/index.ts';
import type { Embedder, EmbedContext } from '../embedder.ts';


/**
 * The control feature space of Brain2Music: a one-hot genre vector per window (every window of a
 * clip gets its clip's vector). The genre comes from `clipGenres` (a clip table) when given, else
 * from the clip id (`<genre>.<NNNNN>`). Audio is ignored.
 */
export function createGenreEmbedder(opts: { genres?: readonly string[]; clipGenres?: ReadonlyMap<string, string> } = {}): Embedder {
  const genres = [...(opts.genres ?? GTZAN_GENRES)];
  if (genres.length === 0) fail('BAD_INPUT', 'genre embedder needs at least one genre name.');
  const column = new Map(genres.map((g, i) => [g, i]));
  if (column.size !== genres.length) fail('BAD_INPUT', `genre names must be unique, got ${genres.join(', ')}.`);
  return {
    name: 'genre',
    version: `genre-1:${genres.join(',')}`,
    dim: genres.length,
    sampleRate: 22050,
    windowSec: 0,
    async embed(windows: Float32Array[], context?: EmbedContext): Promise<Float32Array> {
      if (!context || context.clipIds.length !== windows.length) {
        fail('BAD_INPUT', `genre embedder needs the clip id of every window (${windows.length} windows, ${context?.clipIds.length ?? 0} ids).`);
      }
      const out = new Float32Array(windows.length * genres.length);
      context.clipIds.forEach((id, i) => {
        const g = opts.clipGenres?.get(id) ?? genreOfClipId(id);
        const j = column.get(g);
        if (j === undefined) fail('BAD_INPUT', `clip '${id}' has genre '${g}', which is not one of ${genres.join(', ')}; name clips <genre>.<NNNNN> or pass a clip table.`);
        out[i * genres.length + j] = 1;
      });
      return out;
    },
  };
}
