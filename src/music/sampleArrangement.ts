import { fail } from '../errors.ts';
import { BASS_STYLES, COMP_STYLES, DRUM_PATTERNS, GENRES, LEAD_SCALES, type Arrangement, type Genre, type PartRole, type Section } from './arrangement.ts';
import { parseChord } from './chords.ts';
import { GENRE_STYLES, type Choices } from './genreStyles.ts';
import type { Rng } from '../linalg/index.ts';

function choose<T>(rng: Rng, choices: Choices<T>): T {
  return rng.weighted(choices.map((c) => c[0]), choices.map((c) => c[1]));
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/**
 * sampleArrangement(genre, rng, { durationSec }) → one random arrangement of the genre, drawn from
 * `GENRE_STYLES[genre]` (tempo, key, mode, progression, drums, bass, comping, lead, pad, density,
 * dynamics, sections). The same rng state gives the same arrangement.
 * @example sampleArrangement('reggae', createRng(7)).drums?.pattern // usually 'oneDrop'
 */
export function sampleArrangement(genre: Genre, rng: Rng, opts: { durationSec?: number } = {}): Arrangement {
  const style = GENRE_STYLES[genre];
  if (!style) fail('BAD_INPUT', `Unknown genre '${genre}'; use one of ${GENRES.join(', ')}.`);
  const durationSec = opts.durationSec ?? 15;
  const t = style.tempo;
  const tempo = Math.round(Math.min(t.hi, Math.max(t.lo, t.mean + t.sd * rng.normal())));
  const mode = rng.chance(style.pMajor) ? 'major' : 'minor';
  const beatsPerBar: 3 | 4 = rng.chance(style.pTriple) ? 3 : 4;
  const progression = [...rng.pick(mode === 'major' ? style.progressionsMajor : style.progressionsMinor)];
  const hasDrums = rng.chance(style.pDrums);
  const drums = hasDrums
    ? { kit: choose(rng, style.kits), pattern: beatsPerBar === 3 ? ('waltz' as const) : choose(rng, style.patterns), fills: rng.chance(0.6) }
    : null;
  const bass = rng.chance(style.pBass) ? { program: choose(rng, style.bassPrograms), style: choose(rng, style.bassStyles) } : null;
  const chords = { program: choose(rng, style.compPrograms), style: choose(rng, style.compStyles) };
  const lead = rng.chance(style.pLead)
    ? {
        program: choose(rng, style.leadPrograms),
        scale: choose(rng, mode === 'major' ? style.leadScalesMajor : style.leadScalesMinor),
        register: Math.round(rng.uniform(style.leadRegister[0], style.leadRegister[1])),
      }
    : null;
  const pad = rng.chance(style.pPad) ? { program: choose(rng, style.padPrograms) } : null;
  const arrangement: Arrangement = {
    version: 1,
    genre,
    seed: Math.floor(rng.next() * 4294967296) >>> 0,
    tempo,
    swing: round(rng.uniform(style.swing[0], style.swing[1]), 3),
    beatsPerBar,
    key: rng.int(12),
    mode,
    progression,
    sevenths: rng.chance(style.pSevenths),
    drums,
    bass,
    chords,
    lead,
    pad,
    density: round(rng.uniform(style.density[0], style.density[1]), 3),
    dynamics: round(rng.uniform(style.dynamics[0], style.dynamics[1]), 3),
    reverb: round(rng.uniform(style.reverb[0], style.reverb[1]), 3),
    sections: [],
    durationSec,
  };
  arrangement.sections = sampleSections(arrangement, rng);
  return arrangement;
}

/**
 * completeArrangement(partial, rng) → an arrangement with the given fields (e.g. predicted genre,
 * tempo, mode, programs, density) and the rest drawn from the genre's distribution. Sections are
 * re-drawn unless given, so they match the parts and tempo. Checked with `validateArrangement`.
 * @example completeArrangement({ genre: 'jazz', tempo: 180, mode: 'minor' }, createRng(1))
 */
export function completeArrangement(partial: Partial<Arrangement> & { genre: Genre }, rng: Rng): Arrangement {
  const base = sampleArrangement(partial.genre, rng, { durationSec: partial.durationSec });
  const a: Arrangement = { ...base, ...partial, version: 1 };
  if (!partial.sections) a.sections = sampleSections(a, rng);
  validateArrangement(a);
  return a;
}

/** Throws BAD_INPUT naming the first field of `a` outside its documented range. */
export function validateArrangement(a: Arrangement): void {
  const bad = (field: string, value: unknown, range: string): never =>
    fail('BAD_INPUT', `Arrangement field ${field} is ${JSON.stringify(value)}; it must be ${range}.`);
  const prog = (p: number | undefined, field: string) => {
    if (p !== undefined && !(Number.isInteger(p) && p >= 0 && p <= 127)) bad(field, p, 'a General MIDI program 0..127');
  };
  if (!GENRES.includes(a.genre)) bad('genre', a.genre, `one of ${GENRES.join(', ')}`);
  if (!(a.tempo >= 30 && a.tempo <= 300)) bad('tempo', a.tempo, 'in 30..300 BPM');
  if (!(a.swing >= 0 && a.swing <= 0.5)) bad('swing', a.swing, 'in 0..0.5');
  if (a.beatsPerBar !== 3 && a.beatsPerBar !== 4) bad('beatsPerBar', a.beatsPerBar, '3 or 4');
  if (!(Number.isInteger(a.key) && a.key >= 0 && a.key <= 11)) bad('key', a.key, 'an integer 0..11');
  if (a.mode !== 'major' && a.mode !== 'minor') bad('mode', a.mode, "'major' or 'minor'");
  if (!Array.isArray(a.progression) || a.progression.length === 0) bad('progression', a.progression, 'a non-empty list of Roman numerals');
  for (const c of a.progression) parseChord(c, a.key);
  for (const f of ['density', 'dynamics', 'reverb'] as const) if (!(a[f] >= 0 && a[f] <= 1)) bad(f, a[f], 'in 0..1');
  if (!(a.durationSec > 0 && a.durationSec <= 600)) bad('durationSec', a.durationSec, 'in (0, 600] seconds');
  if (a.drums && !DRUM_PATTERNS.includes(a.drums.pattern)) bad('drums.pattern', a.drums.pattern, `one of ${DRUM_PATTERNS.join(', ')}`);
  if (a.bass && !BASS_STYLES.includes(a.bass.style)) bad('bass.style', a.bass.style, `one of ${BASS_STYLES.join(', ')}`);
  if (a.chords && !COMP_STYLES.includes(a.chords.style)) bad('chords.style', a.chords.style, `one of ${COMP_STYLES.join(', ')}`);
  if (a.lead && !LEAD_SCALES.includes(a.lead.scale)) bad('lead.scale', a.lead.scale, `one of ${LEAD_SCALES.join(', ')}`);
  prog(a.drums?.kit, 'drums.kit');
  prog(a.bass?.program, 'bass.program');
  prog(a.chords?.program, 'chords.program');
  prog(a.lead?.program, 'lead.program');
  prog(a.pad?.program, 'pad.program');
  if (a.sections.length === 0 || a.sections[0].startBar !== 0) bad('sections', a.sections, 'a non-empty list starting at bar 0');
  for (const sec of a.sections) for (const p of sec.parts) if (a[p] === null) bad('sections', sec.parts, `parts the arrangement has (it has no ${p})`);
}

/** Number of bars needed to cover the clip. */
export function barCount(a: Pick<Arrangement, 'tempo' | 'beatsPerBar' | 'durationSec'>): number {
  return Math.ceil((a.durationSec * a.tempo) / 60 / a.beatsPerBar);
}

/**
 * Texture over time: one of a few section plans (all parts throughout; a sparse intro; a
 * breakdown without drums and bass; a late lead entry), so loudness, brightness and onset rate
 * change inside a clip the way they do in real music.
 */
function sampleSections(a: Arrangement, rng: Rng): Section[] {
  const all: PartRole[] = [];
  if (a.drums) all.push('drums');
  if (a.bass) all.push('bass');
  all.push('chords');
  if (a.lead) all.push('lead');
  if (a.pad) all.push('pad');
  const bars = barCount(a);
  const without = (...drop: PartRole[]): PartRole[] => all.filter((p) => !drop.includes(p));
  const dyn = (): number => round(rng.uniform(0.75, 1.1), 3);
  const plan = rng.weighted(['full', 'intro', 'breakdown', 'leadEntry'], [2, 3, 2, 2]);
  const cut = Math.max(1, Math.min(bars - 1, Math.round(bars * rng.uniform(0.25, 0.45))));
  switch (plan) {
    case 'intro': {
      const introParts = rng.chance(0.5) ? without('drums', 'lead') : without('lead', 'pad', 'chords');
      return [
        { startBar: 0, parts: introParts.length > 0 ? introParts : ['chords'], dynamics: round(rng.uniform(0.6, 0.85), 3) },
        { startBar: cut, parts: all, dynamics: dyn() },
      ];
    }
    case 'breakdown': {
      const end = Math.min(bars - 1, cut + Math.max(1, Math.round(bars * 0.25)));
      const sections: Section[] = [
        { startBar: 0, parts: all, dynamics: dyn() },
        { startBar: cut, parts: without('drums', 'bass'), dynamics: round(rng.uniform(0.55, 0.8), 3) },
      ];
      if (end > cut) sections.push({ startBar: end, parts: all, dynamics: round(rng.uniform(0.9, 1.15), 3) });
      return sections;
    }
    case 'leadEntry':
      if (a.lead) return [{ startBar: 0, parts: without('lead'), dynamics: dyn() }, { startBar: cut, parts: all, dynamics: dyn() }];
      return [{ startBar: 0, parts: all, dynamics: dyn() }];
    default:
      return [{ startBar: 0, parts: all, dynamics: dyn() }];
  }
}
