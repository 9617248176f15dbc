import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunConfig, readManifest, STAGE_NAMES, type DecodeMetrics, type DecodeRois, type RunConfig, type StageOutcome, type SummaryMetrics } from '../../src/pipeline/index.ts';
import { availableStages } from '../../src/pipeline/stages/index.ts';
import { runConfigured } from '../../src/cli/commands/run.ts';
import { silentUi } from '../../src/cli/ui.ts';
import { GENERATE_DEFAULTS } from '../../src/defaults.ts';
import type { EncodingSummary } from '../../src/encode/index.ts';
import type { SubjectGenerationMetrics } from '../../src/pipeline/jobs/generateSubject.ts';
import { formatSummaryTable } from '../../src/cli/commands/run.ts';
import { writeTinyAst } from '../embed/tinyAst.ts';
import { writeTinyMuq } from '../embed/tinyMuq.ts';
import { clipId } from '../../src/simulate/index.ts';
import { writeFileSync } from 'node:fs';

// The whole pipeline on a reduced simulated dataset: 1 subject, 4 genres × (4 training + 2 test)
// clips, ~700 voxels, a 20-track library (the fewest the builtin generator learns from), and a
// stronger signal than the default so that 16 training clips suffice.
const GENRES = ['blues', 'classical', 'metal', 'reggae'];
let config: RunConfig;
let first: StageOutcome[];
let second: StageOutcome[];
let secondSeconds: number;
const run = (rel: string) => join(config.out, rel);
const json = <T>(rel: string): T => JSON.parse(readFileSync(run(rel), 'utf8')) as T;

/**
 * Captions of every clip (the run's table) and a bank of the training clips' only, for the
 * retrieval-guided prompts: each caption names its clip's genre, and no two are the same text.
 */
function writeCaptions(dir: string): { captions: string; bank: string } {
  const extras = ['with strings', 'with drums', 'with piano', 'with guitar'];
  const rows = GENRES.flatMap((g) => Array.from({ length: 6 }, (_, t) => ({ id: clipId(g as 'blues', t), test: t >= 4, caption: `a ${g} song ${extras[t % 4]} ${t}` })));
  const tsv = (rs: typeof rows) => 'clip_id\tcaption\n' + rs.map((r) => `${r.id}\t${r.caption}`).join('\n') + '\n';
  const captions = join(dir, 'captions.tsv');
  const bank = join(dir, 'bank.tsv');
  writeFileSync(captions, tsv(rows));
  writeFileSync(bank, tsv(rows.filter((r) => !r.test)));
  return { captions, bank };
}

before(async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-e2e-'));
  const out = join(root, 'run');
  const { captions, bank } = writeCaptions(root);
  config = parseRunConfig(
    // 8 test clips are too few blocks for the block null to reach FDR significance: the paper's Gaussian null here
    { out, dataset: { simulate: { preset: 'demo', subjects: 1, genres: GENRES, trainPerGenre: 4, testPerGenre: 2, targetVoxels: 700, library: 20, snr: { auditory: 4, higher: 2, informativeFraction: 0.9 } } }, encode: { null: 'gaussian' }, captions, generate: { tagger: writeTinyAst(), guide: { bank, model: 'muq-text', modelDir: writeTinyMuq() } } },
    'e2e',
    out,
  );
  first = (await runConfigured(config, undefined, silentUi)).outcomes;
  const t0 = performance.now();
  second = (await runConfigured(config, undefined, silentUi)).outcomes;
  secondSeconds = (performance.now() - t0) / 1000;
});

test('pipeline end to end: every stage of this build runs, and a second run reuses them all', () => {
  const built = new Set(availableStages().map((s) => s.name));
  assert.deepEqual(first.map((o) => o.name), [...STAGE_NAMES]);
  for (const o of first) assert.equal(o.status, built.has(o.name) ? 'ran' : 'unavailable', `${o.name}: ${o.status} ${o.reason ?? ''}`);
  for (const o of second) assert.equal(o.status, built.has(o.name) ? 'reused' : 'unavailable', `${o.name} on the second run`);
  assert.ok(secondSeconds < 10, `second run took ${secondSeconds.toFixed(1)} s`);
});

test('pipeline end to end: every output file is in the run folder', () => {
  const testClips = json<{ clipIds: string[] }>('subjects/sub-001/decode/predictions.json').clipIds;
  assert.equal(testClips.length, GENRES.length * 2);
  const files = [
    'run.json', 'metrics.json', 'report/index.html', 'report/report.js', 'report/vendor/niivue.umd.js', 'report/data/sub-001-brain.js',
    'dataset/dataset_description.json', 'embeddings/builtin.npy', 'embeddings/builtin.json',
    'subjects/sub-001/decode/predictions.npy', 'subjects/sub-001/decode/identification.npy', 'subjects/sub-001/decode/rois.json',
    'subjects/sub-001/decode/metrics.json', 'subjects/sub-001/decode/rois.nii.gz',
    'subjects/sub-001/encode/summary.json', 'subjects/sub-001/encode/builtin_r.nii.gz', 'subjects/sub-001/encode/builtin_sig.nii.gz',
    'subjects/sub-001/encode/genre_r.nii.gz', 'subjects/sub-001/encode/background.nii.gz',
    'library', 'retrieval/sub-001.json', 'generated/sub-001/metrics.json',
    ...testClips.flatMap((c) => [`generated/sub-001/${c}_0.wav`, `generated/sub-001/${c}_0.json`]),
  ];
  for (const f of files) assert.ok(existsSync(run(f)), `${f} is missing`);
  assert.equal(existsSync(run('.staging')), false);
  // summary.json names its maps by file name (it was once written with the staging folder's absolute paths)
  const summary = json<EncodingSummary>('subjects/sub-001/encode/summary.json');
  for (const m of Object.values(summary.models)) {
    for (const f of Object.values(m.files)) {
      assert.doesNotMatch(f, /\/|staging/, `summary.json names ${f}`);
      assert.ok(existsSync(run(`subjects/sub-001/encode/${f}`)), f);
    }
  }
  const html = readFileSync(run('report/index.html'), 'utf8');
  assert.equal((html.match(/<audio /g) ?? []).length, testClips.length * 3, 'original, retrieved and generated audio per test clip');
  assert.doesNotMatch(html, /stage not run/);
});

test('docs/outputs.md lists every file the run wrote', () => {
  const tree = readFileSync('docs/outputs.md', 'utf8').split('```')[1]!.trim().split('\n').map((l) => l.split(/\s+/)[0]!);
  const patterns = tree.map((t) => new RegExp(`^${t.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/<[a-z]+>|\*/g, '[^/]+')}${t.endsWith('/') ? '' : '$'}`));
  const unlisted = filesUnder(config.out).filter((f) => !patterns.some((p) => p.test(f)));
  assert.deepEqual(unlisted, []);
  assert.ok(filesUnder(config.out).length > 40);
});

test('pipeline end to end: run.json records config, versions, seeds, input checksums and timings', () => {
  const m = readManifest(config.out)!;
  assert.deepEqual(m.config, JSON.parse(JSON.stringify(config)));
  assert.equal(m.versions.packages['@niivue/niivue'], JSON.parse(readFileSync('node_modules/@niivue/niivue/package.json', 'utf8')).version);
  for (const name of availableStages().map((s) => s.name)) {
    const r = m.stages[name]!;
    assert.equal(r.status, 'done', name);
    assert.ok(typeof r.seconds === 'number' && typeof r.inputsHash === 'string' && typeof m.seeds[name] === 'number', name);
  }
  assert.ok(m.stages.decode!.inputs!.some((i) => i.path === 'embeddings/builtin.npy' && /^[0-9a-f]{64}$/.test(i.sha256)));
  assert.ok(Object.keys(m.checksums).length > 50, 'dataset files were checksummed');
});

test('pipeline end to end: decoding beats chance and picks ROIs where the simulation put information', () => {
  const s = json<SummaryMetrics>('metrics.json').subjects['sub-001']!;
  const d = s.decode!;
  assert.equal(d.identificationTest.chance, 0.5);
  assert.ok(d.identificationTest.value > 0.6, `test identification ${d.identificationTest.value}`);
  assert.ok(d.identificationTrain.value > d.identificationTest.value - 0.05);
  // out of fold the training score falls below in-sample (on this tiny dataset each fold refits on very few clips)
  const oof = d.identificationTrainOutOfFold!;
  assert.equal(oof.split, 'train-oof');
  assert.ok(oof.value < d.identificationTrain.value && oof.value >= 0 && oof.value <= 1, `out-of-fold ${oof.value}, in-sample ${d.identificationTrain.value}`);
  assert.equal(d.nWayTop1.chance, 1 / 8);
  assert.ok(d.nWayTop1.value > d.nWayTop1.chance, `N-way top-1 ${d.nWayTop1.value}`);
  assert.deepEqual(json<DecodeMetrics>('subjects/sub-001/decode/metrics.json').identificationTest, d.identificationTest);
  const truth = json<{ informativeRois: Record<string, { index: number }[]> }>('dataset/derivatives/ground_truth/sub-001/sub-001_truth.json');
  const informative = new Set(Object.values(truth.informativeRois).flat().map((r) => r.index));
  const rois = json<DecodeRois>('subjects/sub-001/decode/rois.json').selected;
  const hits = rois.filter((r) => informative.has(r.index)).length;
  assert.ok(hits >= rois.length / 2, `${hits} of ${rois.length} selected ROIs carry simulated information`);
});

test('pipeline end to end: encoding maps concentrate in the informative ROIs; retrieval and generation are scored against chance', () => {
  const e = json<EncodingSummary>('subjects/sub-001/encode/summary.json');
  const truth = json<{ informativeRois: Record<string, { index: number }[]> }>('dataset/derivatives/ground_truth/sub-001/sub-001_truth.json');
  const informative = new Set(Object.values(truth.informativeRois).flat().map((r) => r.index));
  const m = e.models.builtin!;
  assert.ok(m.nSignificant > 0);
  const sigIn = m.rois.filter((r) => informative.has(r.index)).reduce((a, r) => a + r.nSignificant, 0);
  const voxIn = m.rois.filter((r) => informative.has(r.index)).reduce((a, r) => a + r.nVoxels, 0);
  const voxAll = m.rois.reduce((a, r) => a + r.nVoxels, 0);
  assert.ok(sigIn / m.nSignificant > 2 * (voxIn / voxAll), `significant voxels in informative ROIs ${sigIn}/${m.nSignificant} vs their share of cortex ${voxIn}/${voxAll}`);
  const s = json<SummaryMetrics>('metrics.json').subjects['sub-001']!;
  assert.ok(s.retrieval!.genreAgreement.chance > 0 && s.retrieval!.genreAgreement.chance < 1);
  assert.ok(s.retrieval!.genreAgreement.oracle! >= s.retrieval!.genreAgreement.chance);
  assert.equal(s.generation!.identification!.chance, 0.5);
  assert.ok(Number.isFinite(s.generation!.identification!.value));
  // generated from the true embeddings, the music is identified well above chance, and no generated clip copies a library clip
  const g = json<SubjectGenerationMetrics>('generated/sub-001/metrics.json');
  assert.ok(g.oracle.identification.value > 0.7, `oracle generation identification ${g.oracle.identification.value}`);
  assert.ok(g.oracle.genreAgreement.value > g.oracle.genreAgreement.chance, `oracle genre agreement ${g.oracle.genreAgreement.value} vs chance ${g.oracle.genreAgreement.chance}`);
  assert.ok(g.decoded.identification.value > 0.55, `generation from decoded embeddings: identification ${g.decoded.identification.value} (chance 0.5)`);
  assert.ok(g.novelty.maxCrossCorrelation < 0.5, `largest cross-correlation with a library clip ${g.novelty.maxCrossCorrelation}`);
  assert.equal(g.novelty.perClip.length, GENRES.length * 2);
  // scored again in a space guidance never used: the arrangements' musical features
  assert.equal(g.secondSpace!.space, 'simulator musical features');
  assert.ok(g.secondSpace!.oracle.value > 0.7, `oracle identification in the musical features ${g.secondSpace!.oracle.value}`);
  assert.ok(g.secondSpace!.identification.value > 0.55, `identification in the musical features ${g.secondSpace!.identification.value}`);
  assert.equal(s.generation!.identificationSecondSpace!.value, g.secondSpace!.identification.value);
  // with guidance, each kept sample is the closest (cosine) of its draws to its decoded embedding
  const cond = json<{ guidance?: { candidates: number; chosen: number; cosines: number[] } }>(`generated/sub-001/${g.novelty.perClip[0]!.clipId}_0.json`);
  if (GENERATE_DEFAULTS.guidance > 1) {
    assert.equal(cond.guidance!.candidates, GENERATE_DEFAULTS.guidance);
    assert.equal(cond.guidance!.cosines[cond.guidance!.chosen], Math.max(...cond.guidance!.cosines));
  } else {
    assert.equal(cond.guidance, undefined, 'one draw: no guidance record');
  }
});

test('pipeline end to end: the same pipeline on a BIDS dataset outside the run folder (simulate skipped, audio copied into the report)', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'b2m-e2e-bids-')), 'run');
  const dataset = run('dataset');
  const c = parseRunConfig(
    { out, dataset: { bids: dataset }, library: { audio: join(dataset, 'library/audio') }, generate: null, encode: null },
    'bids.json',
    out,
  );
  const outcomes = (await runConfigured(c, undefined, silentUi)).outcomes;
  const status = Object.fromEntries(outcomes.map((o) => [o.name, o.status]));
  assert.deepEqual(status, { simulate: 'not-run', embed: 'ran', decode: 'ran', library: 'ran', retrieve: 'ran', generate: 'not-run', encode: 'not-run', evaluate: 'ran', report: 'ran' });
  assert.equal(outcomes[0]!.reason, 'the configuration names a dataset (dataset.bids)');
  // Same data, same seed: the same embeddings and decoding as inside the simulated run.
  assert.deepEqual(readFileSync(join(out, 'embeddings/builtin.npy')), readFileSync(run('embeddings/builtin.npy')));
  assert.deepEqual(readFileSync(join(out, 'subjects/sub-001/decode/identification.npy')), readFileSync(run('subjects/sub-001/decode/identification.npy')));
  const html = readFileSync(join(out, 'report/index.html'), 'utf8');
  const audio = [...html.matchAll(/<audio [^>]*src="([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(audio.length, GENRES.length * 2 * 2, 'original and retrieved audio per test clip');
  for (const a of audio) {
    assert.match(a, /^audio\//, `${a} should be copied into the report (it lives outside the run folder)`);
    assert.ok(existsSync(join(out, 'report', a)));
  }
  assert.match(html, /generation: stage not run/);
});

test('a shared library (library.db) is built once: a second run folder reuses it without embedding a track, and a run of another model is refused', async () => {
  const root = mkdtempSync(join(tmpdir(), 'b2m-shared-'));
  const db = join(root, 'shared-library');
  const dataset = run('dataset');
  const cfg = (name: string, extra: Record<string, unknown> = {}) => parseRunConfig(
    { out: join(root, name), dataset: { bids: dataset }, library: { audio: join(dataset, 'library/audio'), db }, generate: null, encode: null, report: false, ...extra }, `${name}.json`, root);
  const first = (await runConfigured(cfg('first'), undefined, silentUi)).outcomes.find((o) => o.name === 'library')!;
  const second = (await runConfigured(cfg('second'), undefined, silentUi)).outcomes.find((o) => o.name === 'library')!;
  assert.equal(first.summary?.added, 20);
  assert.deepEqual([second.status, second.summary?.added, second.summary?.tracks], ['ran', 0, 20], 'the second run embeds no track');
  assert.equal(existsSync(join(root, 'second', 'library')), false, 'no copy of the library in the run folder');
  const source = JSON.parse(readFileSync(join(root, 'second', 'library-source.json'), 'utf8'));
  assert.deepEqual([source.db, source.tracks, source.info.model], [db, 20, 'builtin']);
  assert.deepEqual(readFileSync(join(root, 'second', 'retrieval/sub-001.json')), readFileSync(join(root, 'first', 'retrieval/sub-001.json')));
  await assert.rejects(runConfigured(cfg('other-model', { embeddings: [{ name: 'genre' }] }), undefined, silentUi),
    (e: Error & { code?: string }) => e.code === 'MISMATCH' && e.message.includes(db) && /builtin/.test(e.message));
});

// One door per stage: each stage command, given the inputs the pipeline gave its stage, writes
// the same run-folder files byte for byte (the library's LanceDB files carry random fragment
// names, so the library is compared by its contents).
const sameFiles = (a: string, b: string, rels: string[]) => {
  for (const rel of rels) assert.deepEqual(readFileSync(join(b, rel)), readFileSync(join(a, rel)), `${rel} differs between the pipeline and the command`);
};
const filesUnder = (dir: string, rel = ''): string[] => readdirSync(join(dir, rel)).sort().flatMap((n) => (statSync(join(dir, rel, n)).isDirectory() ? filesUnder(dir, rel ? `${rel}/${n}` : n) : [rel ? `${rel}/${n}` : n]));

test('one door per stage: brain2music embed --bids and decode write the bytes the pipeline\'s embed and decode stages wrote', async () => {
  const { runEmbed } = await import('../../src/cli/commands/embed.ts');
  const { runDecode } = await import('../../src/cli/commands/decode.ts');
  const other = join(mkdtempSync(join(tmpdir(), 'b2m-door-')), 'run');
  await runEmbed({ bids: run('dataset'), model: 'builtin', out: join(other, 'embeddings', 'builtin.npy') }, silentUi);
  sameFiles(config.out, other, ['embeddings/builtin.npy', 'embeddings/builtin.json']);
  await runDecode({ bids: run('dataset'), embeddings: join(other, 'embeddings', 'builtin.npy'), subject: 'all', out: other }, silentUi);
  const files = filesUnder(run('subjects/sub-001/decode'));
  assert.ok(files.includes('rois.nii.gz') && files.includes('rois.json'), 'the command writes the ROI volume too');
  sameFiles(run('subjects/sub-001/decode'), join(other, 'subjects/sub-001/decode'), files);
});

test('one door per stage: brain2music encode writes the bytes the pipeline\'s encode stage wrote (maps, summary, background)', async () => {
  const { runEncode } = await import('../../src/cli/commands/encode.ts');
  const { stageSeed } = await import('../../src/pipeline/index.ts');
  const other = join(mkdtempSync(join(tmpdir(), 'b2m-door-')), 'run');
  await runEncode({ bids: run('dataset'), features: `${run('embeddings/builtin.npy')},genre`, subject: 'all', out: other, null: 'gaussian', seed: stageSeed(config.seed, 'encode') }, silentUi);
  const files = filesUnder(run('subjects/sub-001/encode'));
  assert.ok(files.includes('background.nii.gz'), 'raw-BOLD dataset: the command writes the background too');
  sameFiles(run('subjects/sub-001/encode'), join(other, 'subjects/sub-001/encode'), files);
});

test('one door per stage: brain2music library build stores what the pipeline\'s library stage stored', async () => {
  const { runLibraryBuild } = await import('../../src/cli/commands/library.ts');
  const { openLibrary } = await import('../../src/library/index.ts');
  const db = join(mkdtempSync(join(tmpdir(), 'b2m-door-')), 'library');
  await runLibraryBuild({ audio: run('dataset/library/audio'), model: 'builtin', db }, silentUi);
  const read = async (dir: string) => {
    const lib = await openLibrary(dir);
    try {
      return { info: lib.info, all: await lib.readAll() };
    } finally {
      lib.close();
    }
  };
  const [a, b] = [await read(run('library')), await read(db)];
  assert.deepEqual(b.info, a.info);
  assert.deepEqual([b.all.ids, b.all.genres, b.all.paths], [a.all.ids, a.all.genres, a.all.paths]);
  assert.deepEqual(Buffer.from(b.all.vectors.buffer, b.all.vectors.byteOffset, b.all.vectors.byteLength), Buffer.from(a.all.vectors.buffer, a.all.vectors.byteOffset, a.all.vectors.byteLength));
});

test('pipeline end to end: class agreement of the generated music by an AudioSet tagger (generate.tagger) in metrics.json, the summary table and the report', () => {
  const a = json<SubjectGenerationMetrics>('generated/sub-001/metrics.json').classAgreement!;
  assert.equal(a.classifier, 'ast:tiny-ast');
  for (const b of ['genre', 'instrument', 'mood'] as const) {
    for (const x of [a[b].value, a[b].chance, a[b].oracle!]) assert.ok(x >= 0 && x <= 1, `${b}: ${x}`);
  }
  assert.deepEqual([a.genre.top, a.instrument.top, a.mood.top], [2, 2, 1]);
  assert.equal(a.perClip.length, GENRES.length * 2);
  assert.equal(a.perClip[0]!.original.genre.length, 2);
  const m = json<SummaryMetrics>('metrics.json').subjects['sub-001']!.generation!.classAgreement!;
  assert.deepEqual(m, { classifier: a.classifier, genre: a.genre, instrument: a.instrument, mood: a.mood });
  assert.match(formatSummaryTable(config.out).join('\n'), /sub-001: class agreement of generated music \(ast:tiny-ast; value \(oracle, chance\)\): genre top-2 [0-9.]+ \([0-9.]+, [0-9.]+\), instrument top-2 .*, mood top-1 /);
  const html = readFileSync(run('report/index.html'), 'utf8');
  for (const b of ['genre top-2', 'instrument top-2', 'mood top-1']) assert.ok(html.includes(`generation: AudioSet ${b} overlap, test (clips; ast:tiny-ast; chance: random pairing)`), b);
  assert.ok(html.includes('generation: genre agrees, test (clips; library-fitted genre classifier)'), 'the library classifier stays, labelled as such');
});

test('pipeline end to end: retrieval-guided prompts (generate.guide) chosen by the decoded embedding name the clip\'s genre far more often than chance, from a bank without the test clips', async () => {
  const g = json<SubjectGenerationMetrics>('generated/sub-001/metrics.json').promptGuide!;
  assert.equal(g.map, 'linear', 'the builtin embedding is not a text tower\'s space: the ridge map fitted on the training clips');
  assert.equal(g.bankSize, GENRES.length * 4);
  assert.ok(Math.abs(g.genreNamed.chance - 0.25) < 1e-12, 'a random bank caption names the clip\'s genre 1 time in 4');
  assert.ok(g.genreNamed.value >= 2 * g.genreNamed.chance, `decoded prompts name the genre ${g.genreNamed.value} (oracle ${g.genreNamed.oracle}, chance ${g.genreNamed.chance})`);
  const testIds = new Set(json<{ clipIds: string[] }>('subjects/sub-001/decode/predictions.json').clipIds);
  for (const c of g.perClip) assert.ok(![...testIds].some((id) => c.prompt.endsWith(` ${Number(id.split('.')[1])}`) && c.prompt.includes(id.split('.')[0]!)), `${c.clipId}: the prompt is no test clip's caption (${c.prompt})`);
  const line = String(first.find((o) => o.name === 'generate')!.summary!['sub-001']);
  console.log(`retrieval-guided prompts, sub-001: ${JSON.stringify(g.genreNamed)}`);
  // a bank with the test clips' captions (here: the run's whole captions table) is refused before anything is embedded
  const { buildCaptionGuide } = await import('../../src/pipeline/jobs/captionGuide.ts');
  const { resolveRun } = await import('../../src/pipeline/index.ts');
  const guide = config.generate!.guide!;
  // the bank, the text tower, the run's captions and the tagger are inputs of the stage: editing one reruns it
  const { generateStage } = await import('../../src/pipeline/stages/generate.ts');
  const plan = await generateStage.plan({ runDir: config.out, config, run: resolveRun(config), seed: 0, previous: {} } as unknown as Parameters<typeof generateStage.plan>[0]);
  assert.ok(!('skip' in plan));
  for (const f of [guide.bank, guide.modelDir, config.captions!, config.generate!.tagger!]) assert.ok(plan.inputs.includes(f), f);
  await assert.rejects(buildCaptionGuide({ ...guide, bank: config.captions! }, resolveRun(config).dataset(), config.out, { name: 'builtin' }, config.captions), /holds 8 caption\(s\) of test clips: blues\.00004, blues\.00005/);
  assert.match(line, /caption prompts \(linear map, 16 captions\) name the clip's genre [0-9.]+ \(oracle [0-9.]+, chance 0\.250\)/);
});

test('pipeline retrieval through the library store equals the exact search of every vector in memory', async () => {
  const { evaluateRetrieval, openLibrary } = await import('../../src/library/index.ts');
  const { decodedAndTrue } = await import('../../src/pipeline/jobs/decodedAndTrue.ts');
  const { resolveRun, stageSeed } = await import('../../src/pipeline/index.ts');
  const got = json<{ search: string; librarySize: number; evaluation: unknown }>('retrieval/sub-001.json');
  assert.equal(got.search, 'exact', 'a 20-track library has no ANN index: auto searches it exactly');
  const lib = await openLibrary(run('library'));
  const all = await lib.readAll();
  lib.close();
  const d = decodedAndTrue(config.out, 'sub-001', 'builtin');
  const { genreOf } = resolveRun(config);
  // the reference: the whole library in memory, brute-force cosine, as the stage did before it searched through the store
  const ref = evaluateRetrieval({ predicted: d.predicted, truth: d.truth, clipIds: d.clipIds, clipGenres: d.clipIds.map(genreOf), library: all, dim: d.dim, k: config.retrieve.k, seed: stageSeed(config.seed, 'retrieve') });
  assert.equal(got.librarySize, all.ids.length);
  assert.deepEqual(got.evaluation, JSON.parse(JSON.stringify(ref)));
  const c = ref.concentration.predicted;
  assert.ok(readFileSync(run('report/index.html'), 'utf8').includes(`Retrieval concentration (scores: none; search: exact): decoded, ${c.distinct} distinct top tracks for ${c.n} test clips`), 'the report shows how concentrated the retrieved tracks are');
});

test('one door per stage: brain2music retrieve --run and generate --run rewrite the pipeline\'s retrieval and generated music byte for byte', async () => {
  const { runRetrieveRun } = await import('../../src/cli/commands/retrieve.ts');
  const { runGenerate } = await import('../../src/cli/commands/generate.ts');
  const retrieval = readFileSync(run('retrieval/sub-001.json'));
  await runRetrieveRun({ run: config.out }, silentUi);
  assert.deepEqual(readFileSync(run('retrieval/sub-001.json')), retrieval);
  const files = filesUnder(run('generated/sub-001'));
  const before = new Map(files.map((f) => [f, readFileSync(run(`generated/sub-001/${f}`))]));
  await runGenerate({ run: config.out, subject: 'all' }, silentUi);
  assert.deepEqual(filesUnder(run('generated/sub-001')), files);
  for (const f of files) assert.deepEqual(readFileSync(run(`generated/sub-001/${f}`)), before.get(f), `generated/sub-001/${f}`);
});

test('one door per stage: brain2music simulate writes the dataset the pipeline\'s simulate stage wrote', async () => {
  const { runSimulate } = await import('../../src/cli/commands/simulate.ts');
  const sim = (config.dataset as { simulate: { genres?: string[]; trainPerGenre?: number; testPerGenre?: number; targetVoxels?: number; library?: number; snr?: { auditory: number; higher: number; informativeFraction: number } } }).simulate;
  const other = join(mkdtempSync(join(tmpdir(), 'b2m-door-')), 'dataset');
  await runSimulate({ out: other, preset: 'demo', subjects: 1, genres: sim.genres, trainPerGenre: sim.trainPerGenre, testPerGenre: sim.testPerGenre, voxels: sim.targetVoxels, library: sim.library, snr: sim.snr }, silentUi);
  const files = filesUnder(run('dataset'));
  assert.deepEqual(filesUnder(other), files);
  sameFiles(run('dataset'), other, files);
});

test('brain2music generate --rerank 3 --samples 2 rewrites one subject\'s generated music with the re-ranking scored against the first draw', async () => {
  const { runGenerate } = await import('../../src/cli/commands/generate.ts');
  // re-ranking alone: guidance would multiply the draws (the pipeline run above checks it)
  const res = await runGenerate({ run: config.out, subject: 'sub-001', rerank: 3, samples: 2, guidance: 1, seed: 5 }, silentUi);
  const m = res['sub-001']!;
  assert.equal(m.settings.rerank, 3);
  assert.ok(m.withoutRerank, 'the un-re-ranked draw is scored beside the re-ranked one');
  const clips = json<{ clipIds: string[] }>('subjects/sub-001/decode/predictions.json').clipIds;
  for (const c of clips) for (const k of [0, 1]) assert.ok(existsSync(run(`generated/sub-001/${c}_${k}.wav`)), `${c}_${k}.wav`);
  const cond = json<{ rerankScore: number }>(`generated/sub-001/${clips[0]}_0.json`);
  const second = json<{ rerankScore: number }>(`generated/sub-001/${clips[0]}_1.json`);
  assert.ok(cond.rerankScore >= second.rerankScore, 'sample 0 is the best re-ranked candidate');
  assert.deepEqual(json<SubjectGenerationMetrics>('generated/sub-001/metrics.json').decoded, m.decoded);
  assert.equal(existsSync(run('generated/sub-001.partial')), false);
});

test('brain2music generate refuses a run folder another live process holds (RUN/.lock) and leaves the generated music untouched', async () => {
  const { runGenerate } = await import('../../src/cli/commands/generate.ts');
  const { rmSync, writeFileSync } = await import('node:fs');
  const before = readFileSync(run('generated/sub-001/metrics.json'));
  writeFileSync(run('.lock'), String(process.pid)); // this process is alive: the lock is not stale
  try {
    await assert.rejects(runGenerate({ run: config.out, subject: 'sub-001', guidance: 1, seed: 9 }, silentUi),
      (e: Error & { code?: string }) => e.code === 'BAD_INPUT' && e.message.includes(`pid ${process.pid}`));
    assert.deepEqual(readFileSync(run('generated/sub-001/metrics.json')), before);
  } finally {
    rmSync(run('.lock'), { force: true });
  }
});

test('brain2music generate --generator musicgen (tiny model folder) writes each clip\'s audio and the prompt the run\'s caption bank chose for its decoded embedding', async () => {
  const { runGenerate } = await import('../../src/cli/commands/generate.ts');
  const { writeTinyMusicgen, TINY } = await import('../generate/tinyMusicgen.ts');
  const { readAudio } = await import('../../src/io/index.ts');
  const modelDir = writeTinyMusicgen(join(mkdtempSync(join(tmpdir(), 'b2m-mg-')), 'tiny-musicgen'));
  const res = await runGenerate({ run: config.out, subject: 'sub-001', generator: 'musicgen', modelDir, durationSec: 0.5, seed: 3 }, silentUi);
  assert.equal(res['sub-001']!.generator, 'musicgen');
  const clips = json<{ clipIds: string[] }>('subjects/sub-001/decode/predictions.json').clipIds;
  for (const c of clips) {
    const cond = json<{ generator: string; prompt: string; captions: { id: string; caption: string }[] }>(`generated/sub-001/${c}_0.json`);
    assert.equal(cond.generator, 'musicgen');
    // the run's generate.guide: MusicGen is prompted with the bank caption (a training clip's) nearest the decoded embedding
    assert.equal(cond.captions.length, 1);
    assert.equal(cond.prompt, cond.captions[0]!.caption);
    assert.ok(!clips.includes(cond.captions[0]!.id), `${cond.captions[0]!.id} is a training clip`);
    assert.match(cond.prompt, /^a (blues|classical|metal|reggae) song with \w+ [0-3]$/);
    const audio = await readAudio(run(`generated/sub-001/${c}_0.wav`));
    assert.equal(audio.sampleRate, TINY.sampleRate);
    assert.equal(audio.samples.length, (25 - TINY.codebooks + 1) * TINY.hop, '0.5 s at 50 codec frames per second');
  }
});
