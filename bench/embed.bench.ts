// Builtin music embedding: speed (real-time factor per core, against a plain log-mel average
// measured in the same run) and musical information on simulator-rendered clips (10 genres ×
// N clips): cross-validated linear genre classification against the same classifier on a
// log-mel average, and identification of non-overlapping windows of the same clip.
// Run: npm run bench:embed [-- --clips-per-genre 20]
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBuiltinEmbedder, cutWindows, windowStarts } from '../src/embed/index.ts';
import { writeFileAtomic } from '../src/io/index.ts';
import { createRng, deriveSeed, hashString } from '../src/linalg/index.ts';
import { GENRES, SAMPLE_RATE, renderArrangement, sampleArrangement } from '../src/music/index.ts';
import { genreAccuracyCV, logMelAverage, windowPairIdentification } from '../test/embed/musicInfo.ts';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const PER = arg('--clips-per-genre', 20);
const FOLDS = 5;
const SEED = hashString('brain2music/embed/bench');
const cacheDir = join(tmpdir(), 'brain2music-embed-bench', SEED.toString(16));
mkdirSync(cacheDir, { recursive: true });

async function clip(gi: number, k: number): Promise<Float32Array> {
  const f = join(cacheDir, `${GENRES[gi]}.${k}.f32`);
  if (existsSync(f)) {
    const b = readFileSync(f);
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
  const x = await renderArrangement(sampleArrangement(GENRES[gi], createRng(deriveSeed(SEED, gi, k)), { durationSec: 15 }));
  writeFileAtomic(f, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  return x;
}

const cpuMs = (f: () => void): { cpu: number; wall: number } => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
};

const t0 = Date.now();
const clips: Float32Array[][] = GENRES.map(() => []);
for (let k = 0; k < PER; k++) for (let gi = 0; gi < GENRES.length; gi++) clips[gi].push(await clip(gi, k));
console.log(`corpus: ${GENRES.length} genres × ${PER} clips of 15 s (simulator, seed ${SEED}), ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);

const embedder = createBuiltinEmbedder();
console.log(`model: ${embedder.version}, dim ${embedder.dim}`);

// --- speed: 10 s windows, CPU time of this thread (one core) ---
const speedWins = cutWindows(clips[0][0], SAMPLE_RATE, windowStarts(15, 10, 1.5), 10).concat(cutWindows(clips[6][0], SAMPLE_RATE, windowStarts(15, 10, 1.5), 10));
await embedder.embed(speedWins.slice(0, 1));
let pending: Promise<Float32Array> | null = null;
const tb = cpuMs(() => { pending = embedder.embed(speedWins); });
await pending;
const tm = cpuMs(() => { for (const w of speedWins) logMelAverage(w); });
const audioMs = speedWins.length * 10_000;
console.log(`speed (${speedWins.length} windows of 10 s, one core): builtin ${(audioMs / tb.cpu).toFixed(0)}× real time per core ` +
  `(${(tb.cpu / speedWins.length).toFixed(1)} ms CPU per window, wall ${(audioMs / tb.wall).toFixed(0)}×); ` +
  `baseline log-mel average ${(audioMs / tm.cpu).toFixed(0)}× → builtin costs ${(tb.cpu / tm.cpu).toFixed(1)}× the baseline`);

// --- musical information ---
for (const W of [10, 5]) {
  const starts = windowStarts(15, W, 1.5);
  const nWin = starts.length;
  const emb: number[] = [];
  const mel: number[] = [];
  const labels: number[] = [];
  const fold: number[] = [];
  const all = new Float32Array(GENRES.length * PER * nWin * embedder.dim);
  let c = 0;
  for (let k = 0; k < PER; k++) {
    for (let gi = 0; gi < GENRES.length; gi++, c++) {
      const wins = cutWindows(clips[gi][k], SAMPLE_RATE, starts, W);
      const e = await embedder.embed(wins);
      all.set(e, c * nWin * embedder.dim);
      emb.push(...e);
      for (const w of wins) { mel.push(...logMelAverage(w)); labels.push(gi); fold.push(k % FOLDS); }
    }
  }
  const n = labels.length;
  const ident = windowPairIdentification(all, c, nWin, embedder.dim, 0, nWin - 1);
  console.log(`${W} s windows (${n} windows of ${c} clips): window-pair identification (window 0 vs ${nWin - 1}, starts ${starts[0]} and ${starts[nWin - 1]} s, items = clips, chance 0.5): ${ident.toFixed(3)}`);
  for (const standardize of [false, true]) {
    const accB = genreAccuracyCV(Float64Array.from(emb), n, embedder.dim, labels, fold, { standardize });
    const accM = genreAccuracyCV(Float64Array.from(mel), n, 64, labels, fold, { standardize });
    console.log(`  genre accuracy (ridge on ${standardize ? 'z-scored' : 'centred'} features, ${FOLDS}-fold by clip, nested λ, chance 0.100): builtin ${accB.toFixed(3)}, ` +
      `log-mel average ${accM.toFixed(3)} (ratio ${(accB / accM).toFixed(2)})`);
  }
}
console.log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
