import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBuiltinEmbedder, cutWindows, windowStarts } from '../../src/embed/index.ts';
import { createRng, deriveSeed, hashString } from '../../src/linalg/index.ts';
import { GENRES, SAMPLE_RATE, renderArrangement, sampleArrangement } from '../../src/music/index.ts';
import { genreAccuracyCV, logMelAverage, windowPairIdentification } from './musicInfo.ts';

// A small simulator corpus (seeds disjoint from the projection's reference corpus and the bench):
// 10 genres × 3 clips of 12 s, 5 s windows (hop 1.5 s → 5 per clip). The full-size measurement
// (10 genres × 20 clips of 15 s) is `npm run bench:embed`.
const PER = 3;
const CLIP_SEC = 12;
const WINDOW = 5;

test('createBuiltinEmbedder() carries genre and clip identity on simulator music, beyond a log-mel average', async () => {
  const seed = hashString('brain2music/embed/test');
  const embedder = createBuiltinEmbedder();
  const starts = windowStarts(CLIP_SEC, WINDOW, 1.5);
  const nWin = starts.length;
  const emb: number[] = [];
  const mel: number[] = [];
  const labels: number[] = [];
  const fold: number[] = [];
  const all = new Float32Array(GENRES.length * PER * nWin * embedder.dim);
  let c = 0;
  for (let k = 0; k < PER; k++) {
    for (let gi = 0; gi < GENRES.length; gi++, c++) {
      const x = await renderArrangement(sampleArrangement(GENRES[gi], createRng(deriveSeed(seed, gi, k)), { durationSec: CLIP_SEC }));
      const wins = cutWindows(x, SAMPLE_RATE, starts, WINDOW);
      const e = await embedder.embed(wins);
      all.set(e, c * nWin * embedder.dim);
      emb.push(...e);
      for (const w of wins) { mel.push(...logMelAverage(w)); labels.push(gi); fold.push(k); }
    }
  }
  const n = labels.length;
  const accBuiltin = genreAccuracyCV(Float64Array.from(emb), n, embedder.dim, labels, fold);
  const accMel = genreAccuracyCV(Float64Array.from(mel), n, 64, labels, fold);
  const ident = windowPairIdentification(all, c, nWin, embedder.dim, 0, nWin - 1);
  console.log(`genre accuracy (chance 0.1): builtin ${accBuiltin.toFixed(3)}, log-mel ${accMel.toFixed(3)}; window-pair identification ${ident.toFixed(3)}`);
  assert.ok(accBuiltin > 0.4, `builtin genre accuracy ${accBuiltin} should be well above chance 0.1`);
  assert.ok(accBuiltin > accMel + 0.05, `builtin ${accBuiltin} should beat the log-mel average ${accMel}`);
  // Windows 0-5 s and 6-11 s of a clip do not overlap.
  assert.ok(ident > 0.9, `window-pair identification ${ident} (chance 0.5)`);
});
