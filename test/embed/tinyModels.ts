// Writes tiny model folders laid out like the real transformers.js exports (config.json with
// model_type, preprocessor_config.json, tokenizer files, onnx/*.onnx) with the real input and
// output names, so the adapters' loading, pre-processing, windowing and pooling run for real.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder, seededWeights } from '../helpers/onnxGraph.ts';

export const CLAP_DIM = 8;
export const CLAP_MELS = 64;
export const W2V_HIDDEN = 6;
export const W2V_FEATURES = 160;

/** Weights of the tiny models (the tests compute expected outputs from them). */
export const W = {
  clapAudio: seededWeights(CLAP_MELS * CLAP_DIM, 101, 0.1),
  clapText: seededWeights(12 * CLAP_DIM, 102),
  w2v1: seededWeights(W2V_FEATURES * W2V_HIDDEN, 103, 0.1),
  w2v2: seededWeights(W2V_HIDDEN * W2V_HIDDEN, 104),
};

export const CAPTION_WORDS = ['<s>', '<pad>', '</s>', '<unk>', 'a', 'calm', 'jazz', 'piano', 'loud', 'rock', 'guitar', 'song'];

function folder(name: string): { dir: string; json: (file: string, v: object) => void; onnx: (file: string, bytes: Uint8Array) => void } {
  const dir = join(mkdtempSync(join(tmpdir(), 'b2m-embed-')), name);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  return {
    dir,
    json: (file, v) => writeFileSync(join(dir, file), JSON.stringify(v, null, 2)),
    onnx: (file, bytes) => writeFileSync(join(dir, 'onnx', file), bytes),
  };
}

const CLAP_PREPROCESSOR = {
  chunk_length_s: 10, feature_extractor_type: 'ClapFeatureExtractor', feature_size: CLAP_MELS, fft_window_size: 1024,
  frequency_max: 14000, frequency_min: 50, hop_length: 480, max_length_s: 10, n_fft: 1024, nb_frequency_bins: 513,
  nb_max_frames: 1000, nb_max_samples: 480000, padding: 'repeatpad', padding_side: 'right', padding_value: 0,
  processor_class: 'ClapProcessor', return_attention_mask: false, sampling_rate: 48000, top_db: null, truncation: 'rand_trunc',
};

/** audio_model.onnx: input_features [B, 1, frames, 64] → mean over frames → × W → audio_embeds [B, 8]. */
function clapAudioModel(): Uint8Array {
  const g = new GraphBuilder();
  const mean = g.op('ReduceMean', ['input_features'], { axes: [1, 2], keepdims: 0 });
  g.op('MatMul', [mean, g.floatConst('proj', [CLAP_MELS, CLAP_DIM], W.clapAudio)], {}, 'audio_embeds');
  return g.build(
    [{ name: 'input_features', type: 'float', shape: ['batch_size', 1, 'time', CLAP_MELS] }],
    [{ name: 'audio_embeds', type: 'float', shape: ['batch_size', CLAP_DIM] }],
  );
}

/** text_model.onnx: input_ids, attention_mask [B, L] → Σ_masked table[id] → text_embeds [B, 8]. */
function clapTextModel(): Uint8Array {
  const g = new GraphBuilder();
  const emb = g.op('Gather', [g.floatConst('table', [CAPTION_WORDS.length, CLAP_DIM], W.clapText), 'input_ids'], { axis: 0 });
  const mask = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: 1 }), g.int64Const('last', [-1])]);
  g.op('ReduceSum', [g.op('Mul', [emb, mask]), g.int64Const('seq_axis', [1])], { keepdims: 0 }, 'text_embeds');
  return g.build(
    [{ name: 'input_ids', type: 'int64', shape: ['batch_size', 'sequence_length'] },
      { name: 'attention_mask', type: 'int64', shape: ['batch_size', 'sequence_length'] }],
    [{ name: 'text_embeds', type: 'float', shape: ['batch_size', CLAP_DIM] }],
  );
}

function captionTokenizer(): object {
  const vocab: Record<string, number> = {};
  CAPTION_WORDS.forEach((w, i) => { vocab[w] = i; });
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [special(0, '<s>'), special(1, '<pad>'), special(2, '</s>'), special(3, '<unk>')],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] }, '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] } },
    },
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: '<unk>' },
  };
}

/** A CLAP folder like Xenova/clap-htsat-unfused: audio and text towers, processor, tokenizer. */
export function writeTinyClap(opts: { truncation?: string; omit?: string } = {}): string {
  const f = folder('tiny-clap');
  f.json('config.json', { model_type: 'clap', architectures: ['ClapModel'], projection_dim: CLAP_DIM, text_config: { model_type: 'clap_text_model' }, audio_config: { model_type: 'clap_audio_model' } });
  f.json('preprocessor_config.json', { ...CLAP_PREPROCESSOR, truncation: opts.truncation ?? 'rand_trunc' });
  f.json('tokenizer.json', captionTokenizer());
  f.json('tokenizer_config.json', { tokenizer_class: 'RobertaTokenizer', model_max_length: 77, bos_token: '<s>', eos_token: '</s>', pad_token: '<pad>', unk_token: '<unk>' });
  f.json('special_tokens_map.json', { bos_token: '<s>', eos_token: '</s>', pad_token: '<pad>', unk_token: '<unk>' });
  if (opts.omit !== 'onnx/audio_model.onnx') f.onnx('audio_model.onnx', clapAudioModel());
  f.onnx('text_model.onnx', clapTextModel());
  return f.dir;
}

/**
 * model.onnx: input_features [B, T, 160], attention_mask [B, T] → hidden = tanh(x·W1) (exposed as
 * `hidden_states.7` when `exposeLayer`), last_hidden_state = hidden·W2.
 */
function w2vModel(exposeLayer: boolean): Uint8Array {
  const g = new GraphBuilder();
  const hidden = g.op('Tanh', [g.op('MatMul', ['input_features', g.floatConst('w1', [W2V_FEATURES, W2V_HIDDEN], W.w2v1)])], {}, exposeLayer ? 'hidden_states.7' : undefined);
  const maskF = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: 1 }), g.int64Const('last', [-1])]);
  const last = exposeLayer ? g.op('MatMul', [hidden, g.floatConst('w2', [W2V_HIDDEN, W2V_HIDDEN], W.w2v2)]) : hidden;
  g.op('Mul', [last, maskF], {}, 'last_hidden_state');
  const outs = [{ name: 'last_hidden_state', type: 'float' as const, shape: ['batch_size', 'sequence_length', W2V_HIDDEN] }];
  if (exposeLayer) outs.push({ name: 'hidden_states.7', type: 'float', shape: ['batch_size', 'sequence_length', W2V_HIDDEN] });
  return g.build(
    [{ name: 'input_features', type: 'float', shape: ['batch_size', 'sequence_length', W2V_FEATURES] },
      { name: 'attention_mask', type: 'int64', shape: ['batch_size', 'sequence_length'] }],
    outs,
  );
}

/**
 * A w2v-BERT folder like facebook/w2v-bert-2.0 exported for transformers.js. `layers` is the
 * config's num_hidden_layers; `exposeLayer` adds a `hidden_states.7` output (otherwise the only
 * output is last_hidden_state = tanh(x·W1), i.e. a model cut after its last layer).
 */
export function writeTinyW2vBert(opts: { layers: number; exposeLayer: boolean }): string {
  const f = folder('tiny-w2v-bert');
  f.json('config.json', { model_type: 'wav2vec2-bert', architectures: ['Wav2Vec2BertModel'], hidden_size: W2V_HIDDEN, num_hidden_layers: opts.layers, feature_projection_input_dim: W2V_FEATURES });
  f.json('preprocessor_config.json', {
    feature_extractor_type: 'SeamlessM4TFeatureExtractor', feature_size: 80, num_mel_bins: 80, padding_side: 'right',
    padding_value: 1, processor_class: 'Wav2Vec2BertProcessor', return_attention_mask: true, sampling_rate: 16000, stride: 2,
  });
  f.onnx('model.onnx', w2vModel(opts.exposeLayer));
  return f.dir;
}
