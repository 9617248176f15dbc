import type { Arrangement, PartRole, Section } from './arrangement.ts';
import { parseChord, SCALE_STEPS, notesInRange, withSeventh, type Chord } from './chords.ts';
import { DRUM_GROOVES, FILL_TOMS, hitLevel } from './drumPatterns.ts';
import { createRng, type Rng } from '../linalg/index.ts';
import { barCount } from './sampleArrangement.ts';

/** One note: start time and length in seconds, MIDI channel (9 = drums), key, velocity 1..127. */
export interface NoteEvent {
  time: number;
  duration: number;
  channel: number;
  note: number;
  velocity: number;
}

/** A channel's setup: program (drum kit on channel 9), volume and reverb send (0..127). */
export interface ChannelSetup {
  channel: number;
  program: number;
  volume: number;
  reverb: number;
}

/** Notes ready for a General MIDI synthesizer, sorted by time. */
export interface Score {
  durationSec: number;
  channels: ChannelSetup[];
  notes: NoteEvent[];
}

export const CHANNELS: Record<PartRole, number> = { bass: 0, chords: 1, lead: 2, pad: 3, drums: 9 };
const VOLUMES: Record<PartRole, number> = { bass: 104, chords: 84, lead: 100, pad: 66, drums: 100 };

const clampVel = (v: number): number => Math.max(1, Math.min(127, Math.round(v)));

/** Time-grid helpers for one arrangement (sixteenth steps, swing applied to off-beats). */
class Grid {
  readonly beat: number;
  readonly stepsPerBar: number;
  constructor(readonly a: Arrangement) {
    this.beat = 60 / a.tempo;
    this.stepsPerBar = 4 * a.beatsPerBar;
  }
  /** Seconds of step `step` (may exceed the bar) in bar `bar`. */
  time(bar: number, step: number): number {
    const beatIndex = bar * this.a.beatsPerBar + Math.floor(step / 4);
    const sub = step % 4;
    const off = 0.5 + this.a.swing * 0.5;
    const frac = sub === 0 ? 0 : sub === 1 ? off / 2 : sub === 2 ? off : off + (1 - off) / 2;
    return (beatIndex + frac) * this.beat;
  }
  /** Seconds spanned by `steps` sixteenths (unswung). */
  span(steps: number): number {
    return (steps / 4) * this.beat;
  }
}

function voicing(chord: Chord, lo: number, hi: number): number[] {
  const notes = chord.intervals.map((iv) => {
    let n = lo + ((((chord.root + iv - lo) % 12) + 12) % 12);
    while (n > hi) n -= 12;
    return n;
  });
  return notes.sort((x, y) => x - y);
}

function bassRoot(chord: Chord): number {
  const n = 36 + chord.root;
  return n > 43 ? n - 12 : n;
}

/**
 * arrangementToScore(a) → the notes of an arrangement. Pure: the arrangement's `seed` drives
 * melody, fills, ghost notes and humanisation (timing jitter about 4 ms, velocity ±6).
 */
export function arrangementToScore(a: Arrangement): Score {
  const rng = createRng(a.seed);
  const grid = new Grid(a);
  const bars = barCount(a) + 1;
  const chords: Chord[] = [];
  for (let b = 0; b < bars; b++) {
    const sym = a.progression[b % a.progression.length];
    let c = parseChord(sym, a.key);
    if (a.sevenths) c = withSeventh(c, c.root === a.key || c.root === (a.key + 5) % 12);
    chords.push(c);
  }
  const sectionAt = (bar: number): Section => {
    let s = a.sections[0];
    for (const sec of a.sections) if (sec.startBar <= bar) s = sec;
    return s;
  };
  const plays = (role: PartRole, bar: number): boolean => sectionAt(bar).parts.includes(role);
  const isSectionEnd = (bar: number): boolean => a.sections.some((s) => s.startBar === bar + 1);
  const baseVel = 40 + 72 * a.dynamics;
  const notes: NoteEvent[] = [];
  const add: AddFn = (bar, step, lengthSteps, channel, note, level, jitter = true) => {
    const t = grid.time(bar, step) + (jitter ? 0.004 * rng.normal() : 0);
    if (t >= a.durationSec) return undefined;
    const vel = clampVel(baseVel * sectionAt(bar).dynamics * level + (jitter ? 6 * (rng.next() - 0.5) * 2 : 0));
    const ev: NoteEvent = { time: Math.max(0, t), duration: Math.max(0.03, grid.span(lengthSteps)), channel, note, velocity: vel };
    notes.push(ev);
    return ev;
  };
  const S = grid.stepsPerBar;

  if (a.drums) drumPart(a, rng, bars, S, add, plays, isSectionEnd);
  if (a.bass) bassPart(a, rng, bars, S, chords, add, plays);
  if (a.chords) compPart(a, rng, bars, S, chords, add, plays);
  if (a.lead) leadPart(a, rng, bars, S, chords, add, plays);
  if (a.pad) {
    for (let b = 0; b < bars; b++) {
      if (!plays('pad', b)) continue;
      for (const n of voicing(chords[b], 60, 76)) add(b, 0, S, CHANNELS.pad, n, 0.62, false);
    }
  }
  notes.sort((x, y) => x.time - y.time || x.channel - y.channel || x.note - y.note);
  const reverb = Math.round(a.reverb * 127);
  const channels: ChannelSetup[] = [];
  if (a.bass) channels.push({ channel: CHANNELS.bass, program: a.bass.program, volume: VOLUMES.bass, reverb: Math.round(reverb * 0.4) });
  if (a.chords) channels.push({ channel: CHANNELS.chords, program: a.chords.program, volume: VOLUMES.chords, reverb });
  if (a.lead) channels.push({ channel: CHANNELS.lead, program: a.lead.program, volume: VOLUMES.lead, reverb });
  if (a.pad) channels.push({ channel: CHANNELS.pad, program: a.pad.program, volume: VOLUMES.pad, reverb });
  if (a.drums) channels.push({ channel: CHANNELS.drums, program: a.drums.kit, volume: VOLUMES.drums, reverb: Math.round(reverb * 0.6) });
  return { durationSec: a.durationSec, channels, notes };
}

/** Adds a note at a grid position; returns it (undefined when it starts after the clip's end). */
type AddFn = (bar: number, step: number, lengthSteps: number, channel: number, note: number, level: number, jitter?: boolean) => NoteEvent | undefined;
type PlaysFn = (role: PartRole, bar: number) => boolean;

function drumPart(a: Arrangement, rng: Rng, bars: number, S: number, add: AddFn, plays: PlaysFn, isSectionEnd: (bar: number) => boolean): void {
  const drums = a.drums!;
  const groove = DRUM_GROOVES[drums.pattern];
  const ch = CHANNELS.drums;
  for (let b = 0; b < bars; b++) {
    if (!plays('drums', b)) continue;
    const fill = drums.fills && (isSectionEnd(b) || (b % 4 === 3 && rng.chance(0.5)));
    const fillFrom = S - 4;
    if (b === 0 || !plays('drums', b - 1) || a.sections.some((s) => s.startBar === b && b > 0)) {
      if (drums.pattern !== 'swingRide' || b > 0) add(b, 0, 8, ch, 49, 0.9);
    }
    for (const [keyStr, line] of Object.entries(groove)) {
      const key = Number(keyStr);
      const isHat = key === 42 || key === 51 || key === 46;
      for (let s = 0; s < S; s++) {
        if (fill && s >= fillFrom && key !== 36) continue;
        let level = hitLevel(line[s % line.length]);
        if (isHat && level > 0 && a.density < 0.45 && s % 4 !== 0) level = 0;
        if (isHat && level === 0 && a.density > 0.8 && key === 42 && s % 2 === 1 && rng.chance(0.6)) level = 0.4;
        if (level === 0 && key === 38 && drums.pattern !== 'trainBeat' && rng.chance(0.05 + 0.12 * a.density)) level = 0.3;
        if (level > 0) add(b, s, 1, ch, key, level);
      }
    }
    if (fill) {
      const step = a.density > 0.5 ? 1 : 2;
      let tom = 0;
      for (let s = fillFrom; s < S; s += step) {
        const useSnare = rng.chance(0.4);
        add(b, s, 1, ch, useSnare ? 38 : FILL_TOMS[Math.min(FILL_TOMS.length - 1, tom)], 0.75 + 0.25 * ((s - fillFrom) / 4));
        if (!useSnare) tom += 1;
      }
    }
  }
}

function bassPart(a: Arrangement, rng: Rng, bars: number, S: number, chords: Chord[], add: AddFn, plays: PlaysFn): void {
  const bass = a.bass!;
  const ch = CHANNELS.bass;
  const scale = SCALE_STEPS[a.mode === 'major' ? 'major' : 'minor'].map((x) => (x + a.key) % 12);
  // One syncopated groove per clip: a fixed rhythm, so the bass line repeats like a riff.
  const syncopations = ['x..x..x...x.x...', 'x.....x.x..x....', 'x..x....x..x.x..', 'x...x.x...x..x..', 'x.x...x.x...x...'];
  const groove = rng.pick(syncopations);
  const grooveNotes = Array.from({ length: 16 }, () => rng.pick([0, 0, 7, 12, 0, 10, 5]));
  for (let b = 0; b < bars; b++) {
    if (!plays('bass', b)) continue;
    const c = chords[b];
    const root = bassRoot(c);
    const fifth = root + 7 > 50 ? root - 5 : root + 7;
    switch (bass.style) {
      case 'sustained':
        add(b, 0, S, ch, root, 0.75, false);
        break;
      case 'root':
        add(b, 0, S / 2, ch, root, 0.9);
        if (a.density > 0.5) add(b, S / 2, S / 2, ch, rng.chance(0.5) ? root : fifth, 0.8);
        break;
      case 'rootFifth':
        for (let beat = 0; beat < a.beatsPerBar; beat++) {
          if (a.beatsPerBar === 4 && beat % 2 === 1 && a.density < 0.6) continue;
          add(b, beat * 4, 3, ch, beat === 0 ? root : beat % 2 === 0 || a.beatsPerBar === 3 ? fifth : root, beat === 0 ? 0.95 : 0.8);
        }
        break;
      case 'walking': {
        const next = bassRoot(chords[b + 1] ?? c);
        let n = root;
        for (let beat = 0; beat < a.beatsPerBar; beat++) {
          if (beat === 0) n = root;
          else if (beat === a.beatsPerBar - 1) n = next + (rng.chance(0.5) ? 1 : -1);
          else {
            const cands = notesInRange([...c.intervals.map((i) => c.root + i), ...scale], n - 5, n + 5).filter((x) => x !== n && x >= 28 && x <= 52);
            n = cands.length > 0 ? rng.pick(cands) : root;
          }
          add(b, beat * 4, 4, ch, n, beat === 0 ? 0.95 : 0.8);
        }
        break;
      }
      case 'octave':
        for (let s = 0; s < S; s += 2) add(b, s, 1.6, ch, (s / 2) % 2 === 0 ? root : root + 12, (s / 2) % 2 === 0 ? 0.95 : 0.8);
        break;
      case 'syncopated':
        for (let s = 0; s < S; s++) {
          if (groove[s % 16] !== 'x') continue;
          const iv = grooveNotes[s % 16];
          add(b, s, s === 0 ? 3 : 2, ch, root + (iv === 10 && !c.intervals.includes(10) ? 7 : iv), s === 0 ? 0.95 : 0.8);
        }
        break;
      case 'driving': {
        const step = a.density > 0.85 ? 1 : 2;
        for (let s = 0; s < S; s += step) add(b, s, step * 0.8, ch, root, s % 4 === 0 ? 0.95 : 0.8);
        break;
      }
    }
  }
}

function compPart(a: Arrangement, rng: Rng, bars: number, S: number, chords: Chord[], add: AddFn, plays: PlaysFn): void {
  const comp = a.chords!;
  const ch = CHANNELS.chords;
  const stabPattern = Array.from({ length: 16 }, (_, s) => (s === 0 ? rng.chance(0.6) : rng.chance(s % 2 === 0 ? 0.3 : 0.15)));
  const strumPattern = rng.pick(['D.D.D.D.', 'D.DU.UDU', 'D..UD.DU', 'D.DUDUDU']);
  for (let b = 0; b < bars; b++) {
    if (!plays('chords', b)) continue;
    const c = chords[b];
    const v = voicing(c, 55, 72);
    switch (comp.style) {
      case 'sustained':
        for (const n of v) add(b, 0, S, ch, n, 0.7, false);
        break;
      case 'block': {
        const hits = a.density > 0.6 ? [0, S / 2] : [0];
        for (const s of hits) for (const n of v) add(b, s, hits.length === 1 ? S : S / 2, ch, n, s === 0 ? 0.85 : 0.75);
        break;
      }
      case 'arpeggio': {
        const step = a.density > 0.65 ? 1 : 2;
        const lowNote = v[0] - 12;
        const order = [lowNote, ...v, ...v.slice(1, -1).reverse()];
        let k = 0;
        for (let s = 0; s < S; s += step) {
          add(b, s, step * 1.5, ch, order[k % order.length], s % 4 === 0 ? 0.8 : 0.65);
          k++;
        }
        break;
      }
      case 'strum': {
        const gtr = [bassRoot(c) + 12, ...voicing(c, 52, 67)];
        for (let e = 0; e < S / 2; e++) {
          const sym = strumPattern[e % strumPattern.length];
          if (sym === '.') continue;
          const up = sym === 'U';
          const strings = up ? gtr.slice(1).reverse() : gtr;
          strings.forEach((n, i) => {
            // Strings of a strum sound one after another, about 11 ms apart.
            const ev = add(b, e * 2, 2.2, ch, n, (up ? 0.6 : 0.8) - i * 0.02);
            if (ev) ev.time = Math.min(a.durationSec - 0.01, ev.time + i * 0.011);
          });
        }
        break;
      }
      case 'offbeat': {
        const hits = a.density < 0.5 ? [4, 12] : [2, 6, 10, 14];
        for (const s of hits) if (s < S) for (const n of v) add(b, s, 1.4, ch, n, 0.8);
        break;
      }
      case 'stabs':
        for (let s = 0; s < S; s++) if (stabPattern[s % 16]) for (const n of v) add(b, s, 1.2, ch, n, 0.85);
        break;
      case 'comping': {
        const slots = rng.shuffle([0, 2, 3, 6, 8, 10, 11, 14].filter((s) => s < S)).slice(0, 2 + rng.int(2));
        for (const s of slots) for (const n of v) add(b, s, 2 + rng.int(4), ch, n, 0.7);
        break;
      }
      case 'powerChords': {
        const root = bassRoot(c) + 12;
        const step = a.density > 0.85 ? 1 : 2;
        for (let s = 0; s < S; s += step) {
          const accent = s % 4 === 0;
          for (const n of [root, root + 7, root + 12]) add(b, s, accent ? step * 0.9 : step * 0.5, ch, n, accent ? 0.95 : 0.75);
        }
        break;
      }
    }
  }
}

function leadPart(a: Arrangement, rng: Rng, bars: number, S: number, chords: Chord[], add: AddFn, plays: PlaysFn): void {
  const lead = a.lead!;
  const ch = CHANNELS.lead;
  const pcs = SCALE_STEPS[lead.scale].map((x) => x + a.key);
  const pool = notesInRange(pcs, lead.register - 9, lead.register + 9);
  const fine = a.density > 0.75 ? 1 : 2;
  const phraseBars = 2;
  // A two-bar phrase: rhythm (onset steps) and contour (pool index moves), reused with variation.
  const rhythm: number[][] = [];
  for (let pb = 0; pb < phraseBars; pb++) {
    const onsets: number[] = [];
    for (let s = 0; s < S; s += fine) {
      const strong = s % 4 === 0;
      const p = (strong ? 0.55 : 0.3) + 0.5 * a.density * (strong ? 0.6 : 0.8);
      if (rng.chance(Math.min(0.95, p))) onsets.push(s);
    }
    if (pb === phraseBars - 1 && onsets.length > 2) onsets.splice(onsets.length - 1, 1);
    rhythm.push(onsets.length > 0 ? onsets : [0]);
  }
  const moves = Array.from({ length: 64 }, () => rng.weighted([-2, -1, 0, 1, 2, 3, -3], [2, 4, 1, 4, 2, 0.5, 0.5]));
  let idx = pool.indexOf(pool.reduce((best, n) => (Math.abs(n - lead.register) < Math.abs(best - lead.register) ? n : best), pool[0]));
  let k = 0;
  for (let b = 0; b < bars; b++) {
    if (!plays('lead', b)) continue;
    const onsets = rhythm[b % phraseBars];
    const variation = b >= phraseBars && rng.chance(0.35);
    const chordPcs = new Set(chords[b].intervals.map((i) => (chords[b].root + i) % 12));
    for (let j = 0; j < onsets.length; j++) {
      const s = onsets[j];
      const next = j + 1 < onsets.length ? onsets[j + 1] : S;
      let move = moves[(k + (variation ? rng.int(5) : 0)) % moves.length];
      k = (k + 1) % (phraseBars * 8);
      if (idx + move < 0 || idx + move >= pool.length) move = -move;
      idx = Math.max(0, Math.min(pool.length - 1, idx + move));
      if (s % 4 === 0 && !chordPcs.has(pool[idx] % 12)) {
        const up = idx + 1 < pool.length && chordPcs.has(pool[idx + 1] % 12);
        const down = idx - 1 >= 0 && chordPcs.has(pool[idx - 1] % 12);
        if (up) idx += 1;
        else if (down) idx -= 1;
      }
      add(b, s, Math.min(8, next - s) * 0.92, ch, pool[idx], s % 4 === 0 ? 0.92 : 0.78);
    }
  }
}
