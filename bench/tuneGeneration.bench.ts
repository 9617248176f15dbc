// Chooses the generation defaults (temperature, embedding-guidance draws) on data that no reported
// score comes from: a demo-sized simulation with its own seed (the demo simulates seed 1), whose
// training clips are decoded out of fold (predictions_train_oof.npy), so neither the demo's clips
// nor any test clip enters. Criterion: identification of the generated music among the tuning
// clips in the simulator's musical features, a space guidance never sees (the embedding-space
// score is printed beside it: guidance picks draws in that space, so it flatters guidance).
// Usage: npm run bench:tune-generation -- [RUN] [--seed S] [--clips N]
// (RUN defaults to runs/tune-generation, simulated with seed S = 2 when missing; N tuning clips, default 40.)
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { genreOfClipId } from '../src/bids/index.ts';
import { silentUi } from '../src/cli/ui.ts';
import { GENERATE_DEFAULTS } from '../src/defaults.ts';
import { readEmbeddings, rowsFor, createEmbedder } from '../src/embed/index.ts';
import { averageWindows } from '../src/evaluate/index.ts';
import { tuneGeneration } from '../src/generate/index.ts';
import { readNpy } from '../src/io/index.ts';
import { inMemoryLibrary, openLibrary } from '../src/library/index.ts';
import { parseRunConfig, resolveRun, runPipeline } from '../src/pipeline/index.ts';
import { arrangementOf } from '../src/pipeline/jobs/arrangementSpace.ts';
import { clipEmbedding, createGenerationContext } from '../src/pipeline/jobs/generateSubject.ts';
import { availableStages } from '../src/pipeline/stages/index.ts';
import { runLayout, runPath } from '../src/run/index.ts';

const args = process.argv.slice(2);
const flag = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const seed = flag('--seed', 2);
const nClips = flag('--clips', 40);
const runDir = resolve(args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? 'runs/tune-generation');
const TEMPERATURES = [0, 0.3, 0.6, 1];
const GUIDANCE = [1, 2, 4, 8];

if (seed === 1) throw new Error('seed 1 is the demo\'s simulation: tune on another seed.');
const config = parseRunConfig({ out: runDir, dataset: { simulate: { preset: 'demo', seed } }, generate: null, encode: null, report: false }, 'bench:tune-generation', process.cwd());
const t0 = performance.now();
await runPipeline(config, availableStages().filter((s) => ['simulate', 'embed', 'decode', 'library'].includes(s.name)), { ui: silentUi });
const run = resolveRun(config);
const subject = 'sub-001';
const dir = runPath(runDir, runLayout.decodeDir(subject));
const info = JSON.parse(readFileSync(join(dir, 'predictions.json'), 'utf8')) as { trainOutOfFold: { clipIds: string[] } };
const oof = readNpy(join(dir, 'predictions_train_oof.npy'));
const [nTrain, W, dim] = oof.shape as [number, number, number];
// the first clips of each genre, genres interleaved, so every genre is in the tuning set
const byGenre = new Map<string, number[]>();
info.trainOutOfFold.clipIds.forEach((id, i) => byGenre.set(genreOfClipId(id), [...(byGenre.get(genreOfClipId(id)) ?? []), i]));
const picked = Array.from({ length: Math.max(...[...byGenre.values()].map((v) => v.length)) }, (_, k) => [...byGenre.values()].map((v) => v[k])).flat().filter((i): i is number => i !== undefined).slice(0, nClips);
const clipIds = picked.map((i) => info.trainOutOfFold.clipIds[i]!);
const decodedAll = averageWindows(oof.data as Float32Array, nTrain, W, dim);
const decoded = new Float32Array(picked.length * dim);
picked.forEach((i, k) => decoded.set(decodedAll.subarray(i * dim, (i + 1) * dim), k * dim));
const e = readEmbeddings(runPath(runDir, runLayout.embedding(run.target.name).npy));
const truth = averageWindows(rowsFor(e, clipIds, 'a tuning clip'), clipIds.length, e.nWindows, e.dim);

const store = await openLibrary(run.libraryDb);
const library = inMemoryLibrary(await store.readAll());
store.close();
const embedder = await createEmbedder(run.target.name);
const settings = { generator: 'builtin' as const, modelDir: undefined, samples: 1, rerank: 0, guidance: 1, temperature: 0, seed: 0, durationSec: GENERATE_DEFAULTS.durationSec };
const ctx = await createGenerationContext(library, run.libraryAudio, settings, embedder, run.target, run.stimuliDir);
if (!ctx.secondSpace) throw new Error('the simulated stimuli have no params.json: no second space to tune on');
const space = ctx.secondSpace.space;
const truthFeatures = new Float32Array(clipIds.length * space.dim);
clipIds.forEach((id, k) => truthFeatures.set(space.features(ctx.secondSpace!.stimuli[id]!), k * space.dim));
const prepared = (performance.now() - t0) / 1000;
const t1 = performance.now();
const res = await tuneGeneration({
  generator: ctx.generator, embed: (clip) => clipEmbedding(ctx, clip), features: (clip) => space.features(arrangementOf(clip)!),
  clipIds, decoded, truth, truthFeatures, dim, temperatures: TEMPERATURES, guidance: GUIDANCE, seed: 1, durationSec: settings.durationSec,
  onProgress: (d, t) => { if (d % 20 === 0 || d === t) process.stderr.write(`\r${d}/${t} clips × temperatures`); },
});
process.stderr.write('\n');
const f = (x: number) => x.toFixed(3);
console.log(`generation tuning on ${runDir}: simulation seed ${seed}, ${subject}'s ${clipIds.length} training clips decoded out of fold (never reported); run prepared in ${prepared.toFixed(0)} s, ${TEMPERATURES.length} temperatures × ${Math.max(...GUIDANCE)} draws per clip in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
console.log('identification among the tuning clips (chance 0.5): in the simulator\'s musical features (criterion) / in the decoded embedding\'s space');
console.log(`temperature | ${GUIDANCE.map((k) => `guidance ${k}`.padEnd(15)).join(' | ')}`);
for (const t of TEMPERATURES) console.log(`${String(t).padEnd(11)} | ${GUIDANCE.map((k) => { const s = res.scores.find((x) => x.temperature === t && x.guidance === k)!; return `${f(s.identificationFeatures)} / ${f(s.identification)}`.padEnd(15); }).join(' | ')}`);
console.log(`chosen (${res.criterion}): temperature ${res.chosen.temperature}, guidance ${res.chosen.guidance}; the defaults: temperature ${GENERATE_DEFAULTS.temperature}, guidance ${GENERATE_DEFAULTS.guidance}`);
await embedder.dispose?.();
