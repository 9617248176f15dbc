/**
 * Musical attributes read off a decoded embedding (by a model fitted on the music library):
 * what the text prompt of a text-conditioned generator is built from.
 */
export interface MusicAttributes {
  /** Genre probabilities, most likely first. */
  genres: { name: string; p: number }[];
  /** Unknown when the attribute model has no tempo (then the prompt names none). */
  tempoBpm?: number;
  /** Probability that the music is in a minor key (unknown: no key in the prompt). */
  minorProbability?: number;
  /** Instrument names, most likely first. */
  instruments: string[];
  /** 0 (calm, sparse) to 1 (energetic, dense); unknown: no mood word. */
  energy?: number;
}

function tempoWord(bpm: number): string {
  if (bpm < 85) return 'slow';
  if (bpm < 120) return 'moderate tempo';
  return 'fast';
}

/**
 * A short caption such as "energetic fast rock track in a minor key with guitar and drums".
 * Only the two most likely genres are named, and the second only if it is at least half as
 * likely as the first (a hedge like "rock and metal" helps text-to-music models).
 */
export function promptFromAttributes(a: MusicAttributes): string {
  const [g1, g2] = a.genres;
  const genre = g2 && g1 && g2.p >= 0.5 * g1.p ? `${g1.name} and ${g2.name}` : (g1?.name ?? 'instrumental');
  const mood = a.energy === undefined ? '' : a.energy >= 0.6 ? 'energetic ' : a.energy <= 0.35 ? 'calm ' : '';
  const key = a.minorProbability === undefined ? '' : ` in a ${a.minorProbability >= 0.5 ? 'minor' : 'major'} key`;
  const tempo = a.tempoBpm === undefined ? '' : tempoWord(a.tempoBpm);
  const inst = a.instruments.slice(0, 3);
  const withInst = inst.length === 0 ? '' : ` with ${inst.length === 1 ? inst[0] : `${inst.slice(0, -1).join(', ')} and ${inst.at(-1)}`}`;
  return `${mood}${tempo} ${genre} track${key}${withInst}`.replace(/\s+/g, ' ').trim();
}
