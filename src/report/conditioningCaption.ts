const KEYS = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The builtin generator's arrangement in a few words: style, tempo, key and mode, metre, parts. */
function arrangementWords(a: Record<string, unknown>): string {
  const parts = ['drums', 'bass', 'chords', 'lead', 'pad'].filter((p) => isRecord(a[p]));
  const drums = isRecord(a.drums) ? str(a.drums.pattern) : undefined;
  const key = num(a.key);
  const words = [
    str(a.genre) ? `${a.genre}-style arrangement` : 'arrangement',
    num(a.tempo) !== undefined ? `${Math.round(num(a.tempo)!)} BPM` : undefined,
    key !== undefined ? `${KEYS[((key % 12) + 12) % 12]}${str(a.mode) ? ` ${a.mode}` : ''}` : undefined,
    num(a.beatsPerBar) !== undefined ? `${a.beatsPerBar}/4` : undefined,
    parts.length ? parts.map((p) => (p === 'drums' && drums ? `drums (${drums})` : p)).join(', ') : undefined,
  ];
  return words.filter(Boolean).join(', ');
}

/**
 * What a generated clip was conditioned on, in one line, from its generated/<sub>/<clip>_<k>.json:
 * the builtin generator's arrangement (style, tempo, key, metre, parts), MusicGen's text prompt and
 * guidance scale, the sampling temperature, which of the candidates embedding guidance kept (with
 * its cosine to the decoded embedding) and the re-ranking score. Fields it does not know are left
 * out; an empty or missing record gives ''.
 *
 * @example conditioningCaption({ generator: 'musicgen', prompt: 'calm jazz piano', guidanceScale: 3, temperature: 1 })
 * // 'musicgen: prompt "calm jazz piano", guidance scale 3; temperature 1'
 */
export function conditioningCaption(c: Record<string, unknown> | undefined): string {
  if (!c) return '';
  const what: string[] = [];
  const gen = str(c.generator);
  if (isRecord(c.arrangement)) what.push(arrangementWords(c.arrangement));
  if (str(c.prompt)) what.push(`prompt "${c.prompt}"`);
  if (num(c.guidanceScale) !== undefined) what.push(`guidance scale ${c.guidanceScale}`);
  const how: string[] = [];
  if (num(c.temperature) !== undefined) how.push(`temperature ${c.temperature}`);
  if (isRecord(c.guidance)) {
    const chosen = num(c.guidance.chosen);
    const n = num(c.guidance.candidates);
    const cos = Array.isArray(c.guidance.cosines) && chosen !== undefined ? num(c.guidance.cosines[chosen]) : undefined;
    if (chosen !== undefined && n !== undefined) how.push(`kept candidate ${chosen + 1} of ${n}${cos !== undefined ? ` (cosine ${cos.toFixed(3)} to the decoded embedding)` : ''}`);
  }
  if (num(c.rerankScore) !== undefined) how.push(`re-ranking score ${num(c.rerankScore)!.toFixed(3)}`);
  const head = [gen, what.join(', ')].filter(Boolean).join(': ');
  return [head, how.join(', ')].filter(Boolean).join('; ');
}
