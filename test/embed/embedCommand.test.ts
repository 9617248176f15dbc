import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEmbed } from '../../src/cli/commands/embed.ts';
import type { CliUi } from '../../src/cli/ui.ts';
import { readEmbeddings } from '../../src/embed/index.ts';
import { readNpy, writeWav } from '../../src/io/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { CLAP_DIM, writeTinyClap } from './tinyModels.ts';
import { SYNTH_CLASSES, synthClip } from './synthClips.ts';

function recordingUi(): CliUi & { lines: string[]; progress: CliUi['progress']; updates: number[][] } {
  const lines: string[] = [];
  const updates: number[][] = [];
  return { lines, updates, info: (l) => lines.push(l), warn: (l) => lines.push(`warning: ${l}`), progress: () => ({ update: (d, t) => updates.push([d, t]), end() {} }) };
}

function audioDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'b2m-embedcmd-')), 'stimuli');
  mkdirSync(dir);
  writeWav(join(dir, 'blues.00001.wav'), synthClip(SYNTH_CLASSES[0], 11), 22050);
  // A 44.1 kHz file: read through io's resampler to the model's 22050 Hz.
  writeWav(join(dir, 'metal.00002.wav'), synthClip(SYNTH_CLASSES[3], 12, 15, 44100), 44100);
  writeFileSync(join(dir, 'notes.txt'), 'not audio');
  return dir;
}

test('runEmbed({ model: "builtin" }) embeds every audio file of a folder into FILE.npy + FILE.json, and resumes', async () => {
  const dir = audioDir();
  const out = join(dir, '..', 'emb', 'builtin.npy');
  const ui = recordingUi();
  const meta = await runEmbed({ audio: [dir], model: 'builtin', out }, ui);
  assert.deepEqual(meta.clipIds, ['blues.00001', 'metal.00002']);
  assert.deepEqual(readNpy(out).shape, [2, 4, 128]);
  assert.deepEqual(ui.updates.at(-1), [2, 2]);
  assert.match(ui.lines.at(-1) ?? '', /2 clips × 4 windows × 128.*embedded 2, reused 0/);
  const again = recordingUi();
  await runEmbed({ audio: [dir], model: 'builtin', out }, again);
  assert.match(again.lines.at(-1) ?? '', /embedded 0, reused 2/);
  // 5 s windows are a different setting: everything is embedded anew into a new file.
  const out5 = join(dir, '..', 'emb', 'builtin5.npy');
  const m5 = await runEmbed({ audio: [join(dir, 'blues.00001.wav')], model: 'builtin', out: out5, window: 5 }, recordingUi());
  assert.deepEqual(m5.windowStarts, [0, 1.5, 3, 4.5, 6, 7.5, 9]);
  const e10 = readEmbeddings(out);
  assert.equal(e10.meta.sampleRate, 22050);
});

test('brain2music embed --model genre writes the one-hot control; an unknown model exits 2 listing the names', () => {
  const dir = audioDir();
  const out = join(dir, '..', 'genre.npy');
  const ok = spawnSync(process.execPath, ['bin/brain2music.js', 'embed', '--audio', dir, '--model', 'genre', '--window', '1.5', '--out', out], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  const e = readEmbeddings(out);
  assert.deepEqual(readNpy(out).shape, [2, 10, 10]);
  assert.equal(e.data[0], 1); // blues
  assert.equal(e.data[1 * 100 + 9 * 10 + 6], 1); // metal, last window
  const bad = spawnSync(process.execPath, ['bin/brain2music.js', 'embed', '--audio', dir, '--model', 'mulan', '--out', out], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown --model 'mulan'; known models: builtin, clap, clap-text, muq, muq-text, codec, w2vbert, genre/);
  const noDir = spawnSync(process.execPath, ['bin/brain2music.js', 'embed', '--audio', dir, '--model', 'clap', '--model-dir', join(dir, 'nope'), '--out', out], { encoding: 'utf8' });
  assert.equal(noDir.status, 4);
  assert.match(noDir.stderr, /onnx\/audio_model\.onnx/);
});

test('runEmbed pads a 14.98 s clip and counts it in its output line; a 12 s clip fails naming the file, and leaves no OUT.npy.parts', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'b2m-embedcmd-')), 'short');
  mkdirSync(dir);
  writeWav(join(dir, 'blues.00001.wav'), synthClip(SYNTH_CLASSES[0], 11), 22050);
  writeWav(join(dir, 'jazz.00002.wav'), synthClip(SYNTH_CLASSES[1], 12, 14.98), 22050);
  const out = join(dir, '..', 'short.npy');
  const ui = recordingUi();
  const meta = await runEmbed({ audio: [dir], model: 'builtin', out, window: 10 }, ui);
  assert.deepEqual(meta.padded, { 'jazz.00002': 0.02 });
  assert.match(ui.lines.at(-1) ?? '', /embedded 2, reused 0, padded 1 with silence \(see 'padded' in the JSON\)\./);
  const twelve = join(dir, 'rock.00003.wav');
  writeWav(twelve, synthClip(SYNTH_CLASSES[3], 13, 12), 22050);
  const out2 = join(dir, '..', 'b2.npy');
  const bad = spawnSync(process.execPath, ['bin/brain2music.js', 'embed', '--audio', twelve, '--model', 'builtin', '--out', out2], { encoding: 'utf8' });
  assert.equal(bad.status, 2, bad.stderr + bad.stdout);
  assert.ok(bad.stderr.includes(`clip 'rock.00003' (${twelve}) lasts 12.00 s, but --clip needs 15 s: 3.00 s short, more than the 0.5 s of silence padded at most`), bad.stderr);
  assert.ok(!existsSync(`${out2}.parts`) && !existsSync(out2), 'no resume folder or output left behind');
  // --max-pad 3 lets it through, padded by 3 s
  const ok = spawnSync(process.execPath, ['bin/brain2music.js', 'embed', '--audio', twelve, '--model', 'builtin', '--max-pad', '3', '--out', out2], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(readEmbeddings(out2).meta.padded, { 'rock.00003': 3 });
  const neg = spawnSync(process.execPath, ['bin/brain2music.js', 'embed', '--audio', twelve, '--model', 'builtin', '--max-pad', '-1', '--out', out2], { encoding: 'utf8' });
  assert.equal(neg.status, 2, neg.stderr); // a usage error (commander reports every option parser's): bad input
  assert.match(neg.stderr, /--max-pad must be a number in \[0, 10\], got '-1'/);
});

test('runEmbed({ model: "clap-text", captions: the Brain2Music CSV }) embeds one vector per clip; missing captions are all listed before the model loads', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'b2m-embedcmd-')), 'clips');
  mkdirSync(dir);
  for (const id of ['disco.00011', 'pop.00049']) writeWav(join(dir, `${id}.wav`), new Float32Array(22050), 22050);
  const csv = fileURLToPath(new URL('../fixtures/brain2music-captions/brain2music-captions.csv', import.meta.url));
  const out = join(dir, '..', 'text.npy');
  const meta = await runEmbed({ audio: [dir], model: 'clap-text', captions: csv, modelDir: writeTinyClap(), out }, recordingUi());
  assert.deepEqual([meta.clipIds, meta.windowStarts, meta.dim], [['disco.00011', 'pop.00049'], [0], CLAP_DIM]);
  for (const id of ['rock.00001', 'rock.00002']) writeWav(join(dir, `${id}.wav`), new Float32Array(22050), 22050);
  // the model folder does not exist: the captions check comes first and names every missing clip
  await assert.rejects(runEmbed({ audio: [dir], model: 'clap-text', captions: csv, modelDir: join(dir, 'no-model'), out: join(dir, '..', 't2.npy') }, recordingUi()),
    (e: unknown) => e instanceof Brain2MusicError && e.code === 'NOT_FOUND' && e.message.startsWith(`${csv} has no caption for 2 of 4 clips: rock.00001, rock.00002.`));
});
