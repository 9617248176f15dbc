/**
 * The order that groups items by genre (genres alphabetical, the items of a genre in their given
 * order) and each genre's run [start, end) in that order, for drawing a clip × clip matrix in
 * genre blocks.
 *
 * @example genreOrder(['rock', 'jazz', 'rock']) // { order: [1, 0, 2], groups: [{ label: 'jazz', start: 0, end: 1 }, { label: 'rock', start: 1, end: 3 }] }
 */
export function genreOrder(genres: readonly string[]): { order: number[]; groups: { label: string; start: number; end: number }[] } {
  const order = genres.map((_, i) => i).sort((a, b) => (genres[a]! < genres[b]! ? -1 : genres[a]! > genres[b]! ? 1 : a - b));
  const groups: { label: string; start: number; end: number }[] = [];
  order.forEach((item, pos) => {
    const g = genres[item]!;
    const last = groups[groups.length - 1];
    if (last && last.label === g) last.end = pos + 1;
    else groups.push({ label: g, start: pos, end: pos + 1 });
  });
  return { order, groups };
}
