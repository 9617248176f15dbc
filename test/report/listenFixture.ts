// The smallest run folder a listening test needs: 4 test clips of 2 genres (so that both
// genre-matched and mismatched foils exist), their originals where the embed stage records them,
// and for 2 subjects a generated sample and a retrieved track per clip; 0.3 s of 8 kHz audio each.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic, writeWav } from '../../src/io/index.ts';
import type { RetrievalResult } from '../../src/run/index.ts';
import { tone } from './fixtureRun.ts';

export const LISTEN_CLIPS = ['blues.00048', 'blues.00049', 'jazz.00048', 'jazz.00049'];
export const LISTEN_SUBJECTS = ['sub-001', 'sub-002'];
const SR = 8000;
const clip = (f0: number) => tone(f0, 0.3, SR);

/** Writes the run folder and returns its path. */
export function writeListenRun(): string {
  const runDir = join(mkdtempSync(join(tmpdir(), 'b2m-listen-')), 'run');
  const genres = LISTEN_CLIPS.map((c) => c.split('.')[0]!);
  const stimuli = join(runDir, 'dataset/stimuli');
  LISTEN_CLIPS.forEach((c, i) => writeWav(join(stimuli, `${c}.wav`), clip(220 * 2 ** (i / 4)), SR));
  writeJsonAtomic(join(runDir, 'embeddings/builtin.json'), { model: 'builtin', clipIds: LISTEN_CLIPS, sources: Object.fromEntries(LISTEN_CLIPS.map((c) => [c, { path: join(stimuli, `${c}.wav`) }])) });
  LISTEN_SUBJECTS.forEach((sub, s) => {
    writeJsonAtomic(join(runDir, 'subjects', sub, 'decode/predictions.json'), { subject: sub, split: 'test', model: 'builtin', clipIds: LISTEN_CLIPS, genres, identification: 'identification.npy' });
    LISTEN_CLIPS.forEach((c, i) => writeWav(join(runDir, 'generated', sub, `${c}_0.wav`), clip(300 * 2 ** ((i + s) / 5)), SR));
    const lib = (i: number) => `lib.000${(i + s) % 4}`;
    const retrieval: RetrievalResult = {
      subject: sub, librarySize: 4,
      items: LISTEN_CLIPS.map((c, i) => ({ clipId: c, genre: genres[i]!, retrieved: [{ id: lib(i), genre: genres[i]!, score: 0.5, audio: `dataset/library/audio/${lib(i)}.wav` }], oracle: [{ id: lib(i), genre: genres[i]! }] })),
      genreAgreement: { value: 0.5, chance: 0.5 },
    };
    writeJsonAtomic(join(runDir, 'retrieval', `${sub}.json`), retrieval);
  });
  for (let i = 0; i < 4; i++) writeWav(join(runDir, 'dataset/library/audio', `lib.000${i}.wav`), clip(180 * 2 ** (i / 3)), SR);
  return runDir;
}
