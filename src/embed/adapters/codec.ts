import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from 'onnxruntime-node';
import { fail } from '../../errors.ts';
import type { Embedder, EmbedderOptions } from '../embedder.ts';
import { onnxModelFolder, oneWindowAtATime, openOnnxSession, releasingOnError } from './onnxFolder.ts';

/** A neural codec's encoder folder in the transformers.js layout (onnx-community/dac_*-ONNX). */
export const CODEC_FILES = ['config.json', 'preprocessor_config.json', 'onnx/encoder_model.onnx'] as const;
export const CODEC_HUB_IDS = ['onnx-community/dac_44khz-ONNX', 'onnx-community/dac_24khz-ONNX', 'onnx-community/dac_16khz-ONNX'] as const;
/** Codecs whose encoders this adapter reads (the same contract: waveform in, latent frames out). */
const CODEC_TYPES = ['dac', 'encodec', 'mimi'];
/** Brain2Music's SoundStream-avg: the codec latents averaged over windows of 1.5 s, 10 per 15 s clip. */
export const CODEC_WINDOW_SEC = 1.5;

const EXPORT_HINT = 'export the encoder\'s continuous latents (docs/embeddings.md, "codec", has the script) and point --model-dir at that folder';

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    return fail('BAD_FILE', `cannot parse ${path}: ${(err as Error).message}; re-export the codec folder (${EXPORT_HINT}).`, err);
  }
}

/**
 * A neural codec's encoder (DAC, EnCodec, Mimi) as the open stand-in for Brain2Music's
 * SoundStream-avg: `onnx/encoder_model.onnx` takes `input_values` [1, 1, samples] at the
 * folder's `preprocessor_config.json` sampling rate and returns the continuous latent frames
 * [1, D, frames] (the quantized representation, before the decoder); each 1.5 s window's vector is
 * the mean of its frames. The published transformers.js exports return only the discrete codes
 * (`audio_codes`, int64): such a folder is refused with how to export the latents.
 */
export async function createCodecEmbedder(opts: EmbedderOptions): Promise<Embedder> {
  const how = `Download one of ${CODEC_HUB_IDS.join(', ')} for config.json and preprocessor_config.json, ${EXPORT_HINT}.`;
  const dir = onnxModelFolder('codec', opts.modelDir, CODEC_FILES, how);
  const config = readJson(join(dir, 'config.json'));
  if (!CODEC_TYPES.includes(String(config.model_type))) fail('MISMATCH', `${join(dir, 'config.json')} has model_type '${String(config.model_type)}', but the codec embedder needs ${CODEC_TYPES.join(', ')}; point --model-dir at a codec folder.`);
  const sampleRate = Number(readJson(join(dir, 'preprocessor_config.json')).sampling_rate);
  if (!(sampleRate > 0)) fail('BAD_FILE', `${join(dir, 'preprocessor_config.json')} states no sampling_rate.`);
  const path = join(dir, 'onnx', 'encoder_model.onnx');
  const { ort, session } = await openOnnxSession(path, how);
  return releasingOnError(session, async () => {
    const input = session.inputNames.includes('input_values') ? 'input_values' : session.inputNames[0]!;
    const latentOf = (outputs: Record<string, Tensor>): Tensor => {
      const t = session.outputNames.map((n) => outputs[n]!).find((x) => x.type === 'float32' && x.dims.length === 3);
      if (!t) fail('UNSUPPORTED', `${path} returns ${session.outputNames.map((n) => `${n} (${outputs[n]!.type}, [${outputs[n]!.dims.join(', ')}])`).join(', ')}: discrete codes, not latent frames. ${how}`);
      return t;
    };
    const embedOne = async (w: Float32Array): Promise<Float32Array> => {
      const t = latentOf(await session.run({ [input]: new ort.Tensor('float32', Float32Array.from(w), [1, 1, w.length]) }));
      const [, D, frames] = t.dims as [number, number, number];
      const data = t.data as Float32Array;
      const out = new Float32Array(D);
      for (let d = 0; d < D; d++) {
        let s = 0;
        for (let f = 0; f < frames; f++) s += data[d * frames + f]!;
        out[d] = s / frames;
      }
      return out;
    };
    const dim = (await embedOne(new Float32Array(Math.round(CODEC_WINDOW_SEC * sampleRate)))).length;
    return {
      name: 'codec',
      version: `codec:${String(config.model_type)}:${dir.split('/').pop()}`,
      dim,
      sampleRate,
      windowSec: CODEC_WINDOW_SEC,
      embed: oneWindowAtATime(embedOne, dim),
      dispose: async () => { await session.release(); },
    };
  });
}
