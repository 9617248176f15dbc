// Writes a tiny MusicGen model folder laid out like Xenova/musicgen-small (config.json,
// generation_config.json, tokenizer files, onnx/{text_encoder,decoder_model_merged,encodec_decode}.onnx)
// with the real exported models' input and output names, so the adapter's loading, prompt
// tokenisation, autoregressive decoding with a key/value cache and the codec decode all run for real.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder, seededWeights } from '../helpers/onnxGraph.ts';

export const TINY = {
  vocab: 32, // audio codes per codebook; the pad/start token is `vocab`
  codebooks: 4,
  hidden: 8,
  heads: 2,
  textHidden: 8,
  hop: 640, // samples per codec frame: 50 frames per second at 32 kHz, as the real EnCodec
  sampleRate: 32000,
};

const WORDS = ['<pad>', '</s>', '<unk>', 'a', 'an', 'track', 'music', 'with', 'and', 'slow', 'fast', 'moderate', 'tempo',
  'major', 'minor', 'key', 'blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock',
  'piano', 'guitar', 'drums', 'bass', 'strings', 'synth', 'calm', 'energetic', 'dark', 'bright', 'song', 'in', 'style'];

function tokenizerJson(): object {
  const vocab: Record<string, number> = {};
  WORDS.forEach((w, i) => { vocab[w] = i; });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      { id: 0, content: '<pad>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      { id: 1, content: '</s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
      { id: 2, content: '<unk>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    ],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }],
      special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
    },
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: '<unk>' },
  };
}

function textEncoder(): Uint8Array {
  const g = new GraphBuilder();
  const table = g.floatConst('embed_tokens', [WORDS.length, TINY.textHidden], seededWeights(WORDS.length * TINY.textHidden, 11));
  const emb = g.op('Gather', [table, 'input_ids'], { axis: 0 });
  const mask = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: 1 }), g.int64Const('axes_last', [-1])]);
  g.op('Mul', [emb, mask], {}, 'last_hidden_state');
  return g.build(
    [{ name: 'input_ids', type: 'int64', shape: ['batch_size', 'encoder_sequence_length'] },
      { name: 'attention_mask', type: 'int64', shape: ['batch_size', 'encoder_sequence_length'] }],
    [{ name: 'last_hidden_state', type: 'float', shape: ['batch_size', 'encoder_sequence_length', TINY.textHidden] }],
  );
}

/** One layer: logits from the token embedding plus the mean text state; the cache grows by one step. */
function decoder(): Uint8Array {
  const { vocab, hidden, heads, codebooks, textHidden } = TINY;
  const hd = hidden / heads;
  const g = new GraphBuilder();
  const table = g.floatConst('embed_tokens', [vocab + 1, hidden], seededWeights((vocab + 1) * hidden, 21));
  const emb = g.op('Gather', [table, 'input_ids'], { axis: 0 }); // [BK, S, H]
  // text conditioning: mean over the text sequence, projected, repeated for each codebook row
  const textMean = g.op('ReduceMean', ['encoder_hidden_states'], { axes: [1], keepdims: 1 }); // [B, 1, T]
  const proj = g.floatConst('enc_proj', [textHidden, hidden], seededWeights(textHidden * hidden, 22, 2));
  const cond = g.op('MatMul', [textMean, proj]); // [B, 1, H]
  const cond4 = g.op('Unsqueeze', [cond, g.int64Const('axis1', [1])]); // [B, 1, 1, H]
  const condK = g.op('Expand', [cond4, g.int64Const('expand_k', [1, codebooks, 1, 1])]); // [B, K, 1, H]
  const condRows = g.op('Reshape', [condK, g.int64Const('rows_shape', [-1, 1, hidden])]); // [BK, 1, H]
  const h = g.op('Add', [emb, condRows]);
  const head = g.floatConst('lm_head', [hidden, vocab], seededWeights(hidden * vocab, 23, 3));
  g.op('MatMul', [g.op('Tanh', [h]), head], {}, 'logits');
  // key/value cache: [BK, heads, past + S, hd]
  const perHead = g.op('Transpose', [g.op('Reshape', [h, g.int64Const('heads_shape', [0, 0, heads, hd])])], { perm: [0, 2, 1, 3] });
  g.op('Concat', ['past_key_values.0.decoder.key', perHead], { axis: 2 }, 'present.0.decoder.key');
  g.op('Concat', ['past_key_values.0.decoder.value', perHead], { axis: 2 }, 'present.0.decoder.value');
  const past = (name: string) => ({ name, type: 'float' as const, shape: ['batch_size', heads, 'past_decoder_sequence_length', hd] });
  const present = (name: string) => ({ name, type: 'float' as const, shape: ['batch_size', heads, 'present_decoder_sequence_length', hd] });
  return g.build(
    [{ name: 'input_ids', type: 'int64', shape: ['batch_size', 'decoder_sequence_length'] },
      { name: 'encoder_hidden_states', type: 'float', shape: ['encoder_batch_size', 'encoder_sequence_length', textHidden] },
      { name: 'encoder_attention_mask', type: 'int64', shape: ['encoder_batch_size', 'encoder_sequence_length'] },
      past('past_key_values.0.decoder.key'), past('past_key_values.0.decoder.value')],
    [{ name: 'logits', type: 'float', shape: ['batch_size', 'decoder_sequence_length', vocab] },
      present('present.0.decoder.key'), present('present.0.decoder.value')],
  );
}

/** Codes → waveform: a learned frame per code, summed over codebooks, squashed to [-1, 1]. */
function codecDecoder(): Uint8Array {
  const { vocab, hop } = TINY;
  const g = new GraphBuilder();
  const table = g.floatConst('codebook', [vocab + 1, hop], seededWeights((vocab + 1) * hop, 31, 0.6));
  const frames = g.op('Gather', [table, 'audio_codes'], { axis: 0 }); // [1, B, K, F, hop]
  const summed = g.op('ReduceSum', [frames, g.int64Const('k_axis', [2])], { keepdims: 0 }); // [1, B, F, hop]
  const squeezed = g.op('Squeeze', [summed, g.int64Const('frame_axis', [0])]); // [B, F, hop]
  const wave = g.op('Reshape', [squeezed, g.int64Const('wave_shape', [0, 1, -1])]);
  g.op('Tanh', [wave], {}, 'audio_values');
  return g.build(
    [{ name: 'audio_codes', type: 'int64', shape: [1, 'batch_size', TINY.codebooks, 'chunk_length'] }],
    [{ name: 'audio_values', type: 'float', shape: ['batch_size', 1, 'audio_length'] }],
  );
}

/** Writes the tiny model folder at `dir` and returns it. */
export function writeTinyMusicgen(dir: string): string {
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const pad = TINY.vocab;
  const json = (name: string, value: object) => writeFileSync(join(dir, name), JSON.stringify(value, null, 2));
  json('config.json', {
    architectures: ['MusicgenForConditionalGeneration'],
    model_type: 'musicgen',
    is_encoder_decoder: true,
    decoder: {
      model_type: 'musicgen_decoder', num_codebooks: TINY.codebooks, vocab_size: TINY.vocab, pad_token_id: pad,
      bos_token_id: pad, hidden_size: TINY.hidden, num_hidden_layers: 1, num_attention_heads: TINY.heads,
    },
    audio_encoder: { model_type: 'encodec', sampling_rate: TINY.sampleRate, frame_rate: TINY.sampleRate / TINY.hop },
    text_encoder: { model_type: 't5', d_model: TINY.textHidden, vocab_size: WORDS.length },
  });
  json('generation_config.json', {
    decoder_start_token_id: pad, pad_token_id: pad, bos_token_id: pad, do_sample: true, guidance_scale: 3.0, max_length: 64,
  });
  json('tokenizer.json', tokenizerJson());
  json('tokenizer_config.json', { tokenizer_class: 'T5Tokenizer', model_max_length: 512, pad_token: '<pad>', eos_token: '</s>', unk_token: '<unk>' });
  json('special_tokens_map.json', { pad_token: '<pad>', eos_token: '</s>', unk_token: '<unk>' });
  writeFileSync(join(dir, 'onnx', 'text_encoder.onnx'), textEncoder());
  writeFileSync(join(dir, 'onnx', 'decoder_model_merged.onnx'), decoder());
  writeFileSync(join(dir, 'onnx', 'encodec_decode.onnx'), codecDecoder());
  return dir;
}
