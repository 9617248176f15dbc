import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { fail } from '../../errors.ts';
import { captionWindows, textTowerCaptions } from '../captionsTable.ts';
import type { Embedder, EmbedderOptions } from '../embedder.ts';
import { onnxModelFolder, oneWindowAtATime, openOnnxSession, releasingOnError } from './onnxFolder.ts';

/** The MuQ-MuLan ONNX export this adapter targets (OpenMuQ/MuQ-MuLan-large; CC BY-NC 4.0, so a user-supplied folder). */
export const MUQ_HUB_IDS = ['YvanM/MuQ-MuLan-large-onnx'] as const;
export const MUQ_AUDIO_FILES = ['audio.onnx'] as const;
export const MUQ_TEXT_FILES = ['text.onnx', 'tokenizer.json'] as const;
/** MuQ-MuLan's music tower: 10 s windows of mono 24 kHz audio, its mel front-end inside the graph. */
export const MUQ_SAMPLE_RATE = 24000;
export const MUQ_WINDOW_SEC = 10;
/** The text tower reads at most this many tokens. */
export const MUQ_MAX_TOKENS = 64;

const MUQ_HOW = `Download ${MUQ_HUB_IDS.join(' or ')} on a connected machine (README, "Music embeddings"; licence CC BY-NC 4.0) and pass its folder with --model-dir.`;
const modelFolder = (kind: string, modelDir: string | undefined, files: readonly string[]) => onnxModelFolder(kind, modelDir, files, MUQ_HOW);
const openSession = (path: string) => openOnnxSession(path, `Re-download ${MUQ_HUB_IDS[0]}.`);

/** The one float output of a run, as a vector (the exports return [1, 512], L2-normalised). */
function vectorOf(outputs: Record<string, Tensor>, session: InferenceSession, path: string): Float32Array {
  const t = outputs[session.outputNames[0]!]!;
  if (!(t.data instanceof Float32Array)) fail('BAD_FILE', `${path}: output '${session.outputNames[0]}' is ${t.type}, not float32; is this a MuQ-MuLan export?`);
  return Float32Array.from(t.data as Float32Array);
}

/**
 * MuQ-MuLan's music tower from an ONNX export (`audio.onnx`: one float32 input [1, 240000], 10 s of
 * mono 24 kHz audio, the mel front-end inside; one output [1, 512], L2-normalised). Its tensor
 * names are read from the graph, not assumed: exports name them differently. Windows shorter than
 * 10 s are zero-padded at the end; longer ones are refused. One window per run: the export's batch is 1.
 */
export async function createMuqAudioEmbedder(opts: EmbedderOptions): Promise<Embedder> {
  const dir = modelFolder('muq', opts.modelDir, MUQ_AUDIO_FILES);
  const path = join(dir, 'audio.onnx');
  const { ort, session } = await openSession(path);
  return releasingOnError(session, async () => {
    if (session.inputNames.length !== 1 || session.outputNames.length < 1) {
      fail('BAD_FILE', `${path} has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]; the MuQ-MuLan music tower takes one waveform and returns one vector. Is this ${MUQ_HUB_IDS[0]}'s audio.onnx?`);
    }
    const samples = MUQ_SAMPLE_RATE * MUQ_WINDOW_SEC;
    const embedOne = async (w: Float32Array): Promise<Float32Array> => {
      if (w.length > samples) fail('BAD_INPUT', `MuQ-MuLan window of ${w.length} samples is longer than ${samples} (${MUQ_WINDOW_SEC} s at ${MUQ_SAMPLE_RATE} Hz); use --window ${MUQ_WINDOW_SEC} or shorter.`);
      const x = new Float32Array(samples);
      x.set(w);
      return vectorOf(await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x, [1, samples]) }), session, path);
    };
    const dim = (await embedOne(new Float32Array(samples))).length;
    return {
      name: 'muq',
      version: `muq:${dir.split('/').pop()}`,
      dim,
      sampleRate: MUQ_SAMPLE_RATE,
      windowSec: MUQ_WINDOW_SEC,
      embed: oneWindowAtATime(embedOne, dim),
      dispose: async () => { await session.release(); },
    };
  });
}

/**
 * MuQ-MuLan's text tower (`text.onnx` with `tokenizer.json`, the XLM-RoBERTa tokenizer in the
 * tokenizers format, at most 64 tokens → one 512-d vector in the music tower's space) on one
 * caption per clip, read with the captions table as `clap-text` reads it. The graph's inputs
 * are matched by name: token ids (`…ids`) and, when it takes one, the attention mask (`…mask`).
 */
export async function createMuqTextEmbedder(opts: EmbedderOptions): Promise<Embedder> {
  const table = textTowerCaptions('muq-text', opts.captions);
  const dir = modelFolder('muq-text', opts.modelDir, MUQ_TEXT_FILES);
  const path = join(dir, 'text.onnx');
  const { ort, session } = await openSession(path);
  return releasingOnError(session, async () => {
    const idsName = session.inputNames.find((n) => /ids/i.test(n));
    const maskName = session.inputNames.find((n) => /mask/i.test(n));
    const others = session.inputNames.filter((n) => n !== idsName && n !== maskName);
    if (!idsName || others.length > 0) fail('BAD_FILE', `${path} has inputs [${session.inputNames.join(', ')}]; the MuQ-MuLan text tower takes token ids (and an attention mask). Is this ${MUQ_HUB_IDS[0]}'s text.onnx?`);
    const tokenizerPath = join(dir, 'tokenizer.json');
    const configPath = join(dir, 'tokenizer_config.json');
    const tf = await import('@huggingface/transformers');
    let tokenizer: InstanceType<typeof tf.PreTrainedTokenizer>;
    try {
      tokenizer = new tf.PreTrainedTokenizer(JSON.parse(readFileSync(tokenizerPath, 'utf8')), existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')) : {});
    } catch (err) {
      return fail('BAD_FILE', `could not read the tokenizer ${tokenizerPath}: ${(err as Error).message}. Re-download ${MUQ_HUB_IDS[0]}.`, err);
    }
    const embedText = async (text: string): Promise<Float32Array> => {
      const all = (tokenizer as unknown as (t: string) => { input_ids: { data: BigInt64Array } })(text).input_ids.data;
      // truncated as Hugging Face's tokenizers truncate: the words are cut, </s> is kept (transformers.js would cut it)
      const ids = all.length > MUQ_MAX_TOKENS ? [...all.subarray(0, MUQ_MAX_TOKENS - 1), all[all.length - 1]!] : all;
      const feeds: Record<string, Tensor> = { [idsName]: new ort.Tensor('int64', BigInt64Array.from(ids), [1, ids.length]) };
      if (maskName) feeds[maskName] = new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
      return vectorOf(await session.run(feeds), session, path);
    };
    const dim = (await embedText('music')).length;
    return {
      name: 'muq-text',
      version: `muq-text:${dir.split('/').pop()}`,
      dim,
      sampleRate: MUQ_SAMPLE_RATE,
      windowSec: 0,
      embed: captionWindows('muq-text', table, dim, async (texts) => {
        const out: Float32Array[] = [];
        for (const t of texts) out.push(await embedText(t));
        return out;
      }),
      dispose: async () => { await session.release(); },
    };
  });
}
