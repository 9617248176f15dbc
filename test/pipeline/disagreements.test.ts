// The disagreements between a stage's two doors (its CLI command and its pipeline stage) listed in
// the issue "One door per stage", each asserted at the value it must have. Two of them are
// asserted on the end-to-end run instead (test/pipeline/pipelineEndToEnd.test.ts, "one door per
// stage"): `brain2music decode` writes rois.nii.gz, and `brain2music encode` writes the raw-BOLD
// dataset's background image, byte for byte as the pipeline does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clipAudioCandidates } from '../../src/bids/index.ts';
import { commandSettings } from '../../src/cli/commands/generate.ts';
import { runEmbed } from '../../src/cli/commands/embed.ts';
import { silentUi } from '../../src/cli/ui.ts';
import { ALIGN_DEFAULTS, DECODE_DEFAULTS, ENCODE_DEFAULTS, GENERATE_DEFAULTS } from '../../src/defaults.ts';
import { embedderInfo } from '../../src/embed/index.ts';
import { DEFAULT_GENERATION } from '../../src/generate/index.ts';
import { isAudioFile, writeWav } from '../../src/io/index.ts';
import { listAudioTracks } from '../../src/library/index.ts';
import { fileClips } from '../../src/pipeline/jobs/embed.ts';
import { parseRunConfig, resolveRun, stageSeed, type RunConfig, type StageRunContext } from '../../src/pipeline/index.ts';
import { decodeStage } from '../../src/pipeline/stages/decode.ts';
import { embedStage } from '../../src/pipeline/stages/embed.ts';
import { buildProgram } from '../../src/cli/program.ts';
import { makeSynthetic, writeSyntheticBids } from '../decode/synthetic.ts';
import { writeTinyClap } from '../embed/tinyModels.ts';

const root = mkdtempSync(join(tmpdir(), 'b2m-doors-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const syn = makeSynthetic();
const bids = join(root, 'bids');
const emb = join(root, 'emb', 'synthetic.npy');
writeSyntheticBids(bids, syn, ['sub-001'], emb);

/** Runs one pipeline stage's adapter on a configuration, writing into a fresh staging folder. */
async function runStage(stage: typeof decodeStage, config: RunConfig): Promise<string> {
  const outDir = join(config.out, '.staging', stage.name);
  mkdirSync(outDir, { recursive: true });
  const run = resolveRun(config);
  const ctx: StageRunContext = { runDir: config.out, config, run, seed: stageSeed(config.seed, stage.name), previous: {}, outDir, ui: silentUi, progress: silentUi.progress };
  const plan = await stage.plan(ctx);
  assert.ok(!('skip' in plan), `${stage.name} was skipped`);
  await stage.run(ctx, plan);
  return outDir;
}

test('ROI ranking score: the pipeline\'s decode stage ranks ROIs with decode.cvScore (default inner) and records that score, not another', async () => {
  for (const cvScore of [undefined, 'nested'] as const) {
    const out = join(root, `run-${cvScore ?? 'default'}`);
    mkdirSync(join(out, 'embeddings'), { recursive: true });
    for (const ext of ['npy', 'json']) cpSync(emb.replace(/npy$/, ext), join(out, 'embeddings', `synthetic.${ext}`));
    const config = parseRunConfig({ out, dataset: { bids }, embeddings: [{ name: 'synthetic' }], decode: { topRois: 2, ...(cvScore ? { cvScore } : {}) } }, 'cfg', root);
    const dir = await runStage(decodeStage, config);
    const expected = cvScore ?? DECODE_DEFAULTS.cvScore;
    const rois = JSON.parse(readFileSync(join(dir, 'subjects/sub-001/decode/rois.json'), 'utf8'));
    const metrics = JSON.parse(readFileSync(join(dir, 'subjects/sub-001/decode/metrics.json'), 'utf8'));
    assert.equal(rois.cvScore, expected);
    assert.equal(metrics.cvScore, expected);
  }
  assert.equal(DECODE_DEFAULTS.cvScore, 'inner');
});

test('generation temperature: `brain2music generate` without --temperature samples at the declared default (0, chosen by bench:tune-generation), as its help says, also when the run switched generation off', () => {
  const config = parseRunConfig({ out: join(root, 'g'), dataset: { bids }, generate: null }, 'cfg', root);
  const s = commandSettings({ run: config.out, subject: 'all' }, config);
  assert.equal(s.temperature, GENERATE_DEFAULTS.temperature);
  assert.equal(GENERATE_DEFAULTS.temperature, 0);
  assert.equal(DEFAULT_GENERATION.temperature, GENERATE_DEFAULTS.temperature, 'the generator\'s own default');
  assert.equal(commandSettings({ run: config.out, subject: 'all', temperature: 1 }, config).temperature, 1);
  const configured = parseRunConfig({ out: join(root, 'g'), dataset: { bids }, generate: { temperature: 0.7 } }, 'cfg', root);
  assert.equal(commandSettings({ run: configured.out, subject: 'all' }, configured).temperature, 0.7);
  const help = buildProgram().commands.find((c) => c.name() === 'generate')!.helpInformation().replace(/\s+/g, ' ');
  assert.match(help, /sampling temperature \(0: most likely music\) \(default: 0, or the run's/);
});

test('clap-text window and embedder options: a configuration naming clap-text with "captions" embeds one 15 s window per clip, and `brain2music embed --bids` writes the same file', async () => {
  assert.equal(embedderInfo('clap-text').defaultWindowSec, 15);
  const modelDir = writeTinyClap();
  const captions = join(root, 'captions.tsv');
  const ids = [...syn.trainClipIds, ...syn.testClipIds];
  writeFileSync(captions, 'clip_id\tcaption\n' + ids.map((id, i) => `${id}\t${i % 2 ? 'a calm jazz piano' : 'loud rock guitar song'}`).join('\n') + '\n');
  const out = join(root, 'run-text');
  const config = parseRunConfig({ out, dataset: { bids }, captions, embeddings: [{ name: 'clap-text', modelDir }, { name: 'w2vbert', modelDir, layer: 4 }] }, 'cfg', root);
  assert.equal(config.embeddings[1]!.layer, 4, 'the w2v-BERT layer is a configuration key');
  const textOnly: RunConfig = { ...config, embeddings: [config.embeddings[0]!] };
  const dir = await runStage(embedStage, textOnly);
  const meta = JSON.parse(readFileSync(join(dir, 'embeddings/clap-text.json'), 'utf8'));
  assert.equal(meta.windowSec, 15);
  assert.deepEqual(meta.windowStarts, [0]);
  const cli = join(root, 'cli-text.npy');
  await runEmbed({ bids, model: 'clap-text', modelDir, captions, out: cli }, silentUi);
  assert.deepEqual(readFileSync(cli.replace(/npy$/, 'json')), readFileSync(join(dir, 'embeddings/clap-text.json')));
  assert.deepEqual(readFileSync(cli), readFileSync(join(dir, 'embeddings/clap-text.npy')));
});

test('audio extensions: one list, so `embed --audio DIR`, the stimulus lookup and the library all read an .aac file', async () => {
  const dir = join(root, 'aac');
  mkdirSync(dir, { recursive: true });
  writeWav(join(dir, 'blues.00001.wav'), new Float32Array(100), 8000);
  writeFileSync(join(dir, 'blues.00002.aac'), 'not decoded here: only listed');
  assert.ok(isAudioFile('x.AAC') && isAudioFile('x.au') && !isAudioFile('x.txt'));
  assert.deepEqual(fileClips([dir]).map((c) => c.id), ['blues.00001', 'blues.00002']);
  assert.deepEqual(listAudioTracks(dir).map((t) => t.id), ['blues.00001', 'blues.00002']);
  assert.ok(clipAudioCandidates(dir, 'blues.00002').some((p) => p.endsWith('blues.00002.aac')));
});

test('defaults are declared once: the configuration\'s defaults and the CLI help show the values of defaults.ts', () => {
  const c = parseRunConfig({ out: '/r', dataset: { bids: '/d' } }, 'cfg', '/');
  assert.deepEqual([c.align.lagTr, c.align.scansPerClip, c.decode.topRois, c.decode.cvScore, c.encode!.nPerm, c.encode!.fdrQ, c.encode!.null, c.generate!.temperature, c.generate!.guidance],
    [ALIGN_DEFAULTS.lagTr, ALIGN_DEFAULTS.scansPerClip, DECODE_DEFAULTS.topRois, DECODE_DEFAULTS.cvScore, ENCODE_DEFAULTS.nPerm, ENCODE_DEFAULTS.fdrQ, ENCODE_DEFAULTS.null, GENERATE_DEFAULTS.temperature, GENERATE_DEFAULTS.guidance]);
  const help = (name: string) => buildProgram().commands.find((x) => x.name() === name)!.helpInformation().replace(/\s+/g, ' ');
  assert.match(help('decode'), new RegExp(`--lag-tr <n>.*\\(default: ${ALIGN_DEFAULTS.lagTr}\\)`, 's'));
  assert.match(help('decode'), new RegExp(`--rois <k>.*\\(default: ${DECODE_DEFAULTS.topRois}\\)`, 's'));
  assert.match(help('encode'), new RegExp(`--n-perm <n>.*\\(default: ${ENCODE_DEFAULTS.nPerm}\\)`, 's'));
  assert.match(help('generate'), new RegExp(`--guidance <n>.*\\(default: ${GENERATE_DEFAULTS.guidance}, or the run's\\)`, 's'));
});
