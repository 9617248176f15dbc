import type { DrumPattern } from './arrangement.ts';

/**
 * Drum grooves on a sixteenth-note grid: one string per General MIDI percussion key
 * (35..81, channel 10), one character per step: 'x' accent, 'o' normal, 'g' ghost, '.' rest.
 * 4/4 grooves have 16 steps, 'waltz' 12.
 */
export const DRUM_GROOVES: Record<DrumPattern, Readonly<Record<number, string>>> = {
  backbeat: { 36: 'x.....o.x.o.....', 38: '....x.......x...', 42: 'o.o.o.o.o.o.o.o.' },
  fourOnFloor: { 36: 'x...x...x...x...', 39: '....x.......x...', 38: '....o.......o...', 42: 'o...o...o...o...', 46: '..o...o...o...o.' },
  shuffle: { 36: 'x.......o.......', 38: '....x.......x...', 42: 'o.o.o.o.o.o.o.o.' },
  swingRide: { 51: 'x...x.o.x...x.o.', 44: '....o.......o...', 36: 'g.......g.......' },
  boomBap: { 36: 'x......ox.x.....', 38: '....x.......x...', 42: 'o.o.o.o.o.o.o.o.' },
  oneDrop: { 36: '........x.......', 37: '........x.......', 42: 'o.o.o.o.o.o.o.o.' },
  trainBeat: { 36: 'x.......x.......', 38: 'ggggxgggggggxggg', 44: '....o.......o...' },
  doubleKick: { 36: 'oooooooooooooooo', 38: '....x.......x...', 51: 'o.o.o.o.o.o.o.o.' },
  halfTime: { 36: 'x.....o...o.....', 38: '........x.......', 42: 'o.o.o.o.o.o.o.o.' },
  waltz: { 36: 'x...........', 38: '....o...o...', 42: 'o...o...o...' },
  orchestral: { 36: 'x.......o.......' },
};

/** Velocity factor of a groove character (0 = no hit). */
export function hitLevel(c: string): number {
  return c === 'x' ? 1 : c === 'o' ? 0.8 : c === 'g' ? 0.42 : 0;
}

/** Percussion keys of the fill toms, high to low. */
export const FILL_TOMS = [50, 48, 47, 45, 43, 41];
