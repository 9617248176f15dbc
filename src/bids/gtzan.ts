// The GTZAN naming rules, in one place: the ten genres, the clip id of a track, the genre of a
// clip id. ds003720's stimuli are GTZAN excerpts; the simulator and every stage use the same ids.

/** The ten GTZAN genres, in GTZAN's (alphabetical) order: the order of the genre one-hot columns. */
export const GTZAN_GENRES = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'] as const;
export type GtzanGenre = (typeof GTZAN_GENRES)[number];

/** The GTZAN id of a genre and track, the file stem `<genre>.<track, 5 digits>`: `clipId('blues', 17)` → `'blues.00017'`. */
export function clipId(genre: string, track: number): string {
  return `${genre}.${String(track).padStart(5, '0')}`;
}

/** The genre of a GTZAN file stem `<genre>.<5 digits>` (`blues.00017` → `blues`), or null for any other name. */
export function gtzanGenre(id: string): string | null {
  return /^([a-z]+)\.\d{5}$/.exec(id)?.[1] ?? null;
}

/** The genre of a clip id such as `blues.00017` (the part before the first dot; the id itself when there is none). */
export function genreOfClipId(id: string): string {
  const dot = id.indexOf('.');
  return dot > 0 ? id.slice(0, dot) : id;
}
