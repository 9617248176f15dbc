import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../src/linalg/index.ts';
import { GENRES, arrangementToScore, completeArrangement, parseChord, sampleArrangement, validateArrangement } from '../../src/music/index.ts';

test('sampleArrangement(genre, rng) is deterministic in the seed', () => {
  for (const g of GENRES) {
    assert.deepEqual(sampleArrangement(g, createRng(5)), sampleArrangement(g, createRng(5)));
  }
  assert.notDeepEqual(sampleArrangement('jazz', createRng(5)), sampleArrangement('jazz', createRng(6)));
});

test('sampleArrangement(genre, rng) varies inside a genre and follows the genre style', () => {
  const rng = createRng(11);
  const metal = Array.from({ length: 20 }, () => sampleArrangement('metal', rng));
  const reggae = Array.from({ length: 20 }, () => sampleArrangement('reggae', rng));
  // variety: several tempos, keys and progressions within one genre
  assert.ok(new Set(metal.map((a) => a.tempo)).size >= 10);
  assert.ok(new Set(metal.map((a) => a.key)).size >= 6);
  assert.ok(new Set(metal.map((a) => a.progression.join(' '))).size >= 3);
  // style: metal uses distorted/overdriven guitar power chords, reggae is slower with off-beat comping
  assert.ok(metal.every((a) => a.chords?.style === 'powerChords' && (a.chords.program === 29 || a.chords.program === 30)));
  assert.ok(reggae.every((a) => a.chords?.style === 'offbeat' && a.tempo <= 96));
  const meanTempo = (xs: { tempo: number }[]) => xs.reduce((s, a) => s + a.tempo, 0) / xs.length;
  assert.ok(meanTempo(metal) > meanTempo(reggae) + 40);
});

test('parseChord(symbol, key) gives roots and intervals of Roman numerals', () => {
  assert.deepEqual(parseChord('V7', 0), { root: 7, intervals: [0, 4, 7, 10] });
  assert.deepEqual(parseChord('vi', 2), { root: 11, intervals: [0, 3, 7] });
  assert.deepEqual(parseChord('bVII', 9), { root: 7, intervals: [0, 4, 7] });
  assert.deepEqual(parseChord('i5', 4), { root: 4, intervals: [0, 7] });
  assert.deepEqual(parseChord('ii°', 0), { root: 2, intervals: [0, 3, 6] });
  assert.throws(() => parseChord('X9', 0), /Roman numeral/);
});

test('arrangementToScore(a) keeps notes inside the clip, sorted, with GM ranges', () => {
  const a = sampleArrangement('rock', createRng(3), { durationSec: 8 });
  const s = arrangementToScore(a);
  assert.ok(s.notes.length > 50);
  for (let i = 0; i < s.notes.length; i++) {
    const n = s.notes[i];
    assert.ok(n.time >= 0 && n.time < 8, `note time ${n.time}`);
    assert.ok(n.velocity >= 1 && n.velocity <= 127 && n.note >= 0 && n.note <= 127);
    if (i > 0) assert.ok(n.time >= s.notes[i - 1].time);
  }
  assert.ok(s.notes.some((n) => n.channel === 9), 'rock has drums on channel 10');
  assert.deepEqual(s.channels.find((c) => c.channel === 1)?.program, a.chords?.program);
});

test('completeArrangement(partial, rng) keeps given parameters, draws the rest, and validates', () => {
  const a = completeArrangement({ genre: 'jazz', tempo: 180, mode: 'minor', lead: { program: 56, scale: 'dorian', register: 70 }, drums: null }, createRng(4));
  assert.equal(a.genre, 'jazz');
  assert.equal(a.tempo, 180);
  assert.equal(a.mode, 'minor');
  assert.equal(a.lead?.program, 56);
  assert.equal(a.drums, null);
  assert.ok(a.sections.every((s) => !s.parts.includes('drums')), 'sections follow the parts');
  assert.equal(arrangementToScore(a).notes.filter((n) => n.channel === 9).length, 0);
  assert.throws(() => completeArrangement({ genre: 'pop', tempo: 1000 }, createRng(1)), /tempo is 1000/);
  assert.throws(() => validateArrangement({ ...a, key: 12 }), /key is 12/);
});
