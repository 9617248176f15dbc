// A tiny MuQ-MuLan folder laid out like YvanM/MuQ-MuLan-large-onnx: audio.onnx (one float32
// waveform input [1, 240000] → one L2-normalised [1, 512] output), text.onnx (input_ids and
// attention_mask int64 [1, n] → [1, 512]) and tokenizer.json (a Unigram tokenizer with
// Metaspace pre-tokenisation and <s> … </s>, the XLM-RoBERTa format). Tensor names are a
// parameter: exports name them differently, and the adapter reads them from the graph.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder, seededWeights } from '../helpers/onnxGraph.ts';

export const MUQ_DIM = 512;
export const MUQ_SAMPLES = 240000;
/** The audio tower: the mean |x| of 100 blocks of 2,400 samples (0.1 s), times W, L2-normalised. */
export const MUQ_BLOCKS = 100;
export const MUQ_PIECES = ['<s>', '<pad>', '</s>', '<unk>', '▁', '▁a', '▁calm', '▁jazz', '▁piano', '▁loud', '▁rock', '▁guitar', '▁song', '▁blues', '▁metal', '▁classical', '▁reggae', '▁with', '▁strings', '▁drums'];
export const MUQ_W = { audio: seededWeights(MUQ_BLOCKS * MUQ_DIM, 401, 1), text: seededWeights(MUQ_PIECES.length * MUQ_DIM, 402, 1) };

function audioModel(input: string, output: string): Uint8Array {
  const g = new GraphBuilder();
  const blocks = g.op('Reshape', [g.op('Abs', [input]), g.int64Const('blocks', [1, MUQ_BLOCKS, MUQ_SAMPLES / MUQ_BLOCKS])]);
  const env = g.op('ReduceMean', [blocks], { axes: [2], keepdims: 0 });
  g.op('LpNormalization', [g.op('MatMul', [env, g.floatConst('w', [MUQ_BLOCKS, MUQ_DIM], MUQ_W.audio)])], { axis: -1, p: 2 }, output);
  return g.build([{ name: input, type: 'float', shape: [1, MUQ_SAMPLES] }], [{ name: output, type: 'float', shape: [1, MUQ_DIM] }]);
}

function textModel(output: string): Uint8Array {
  const g = new GraphBuilder();
  const emb = g.op('Gather', [g.floatConst('table', [MUQ_PIECES.length, MUQ_DIM], MUQ_W.text), 'input_ids'], { axis: 0 });
  const mask = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: 1 }), g.int64Const('last', [-1])]);
  const sum = g.op('ReduceSum', [g.op('Mul', [emb, mask]), g.int64Const('seq_axis', [1])], { keepdims: 0 });
  g.op('LpNormalization', [sum], { axis: -1, p: 2 }, output);
  return g.build(
    [{ name: 'input_ids', type: 'int64', shape: [1, 'sequence_length'] }, { name: 'attention_mask', type: 'int64', shape: [1, 'sequence_length'] }],
    [{ name: output, type: 'float', shape: [1, MUQ_DIM] }],
  );
}

function unigramTokenizer(): object {
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [special(0, '<s>'), special(1, '<pad>'), special(2, '</s>'), special(3, '<unk>')],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] }, '</s>': { id: '</s>', ids: [2], tokens: ['</s>'] } },
    },
    decoder: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
    model: { type: 'Unigram', unk_id: 3, vocab: MUQ_PIECES.map((p, i) => [p, i < 4 ? 0 : -1 - i / 100]), byte_fallback: false },
  };
}

/** The folder; `names` sets the audio graph's tensor names (default those of one public export), `omit` leaves a file out. */
export function writeTinyMuq(opts: { names?: { input: string; output: string }; omit?: string; text?: boolean } = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'b2m-muq-')), 'tiny-muq');
  mkdirSync(dir, { recursive: true });
  const names = opts.names ?? { input: 'wavs', output: 'audio_embedding' };
  const files: Record<string, string | Uint8Array> = {
    'audio.onnx': audioModel(names.input, names.output),
    'text.onnx': textModel('text_embedding'),
    'tokenizer.json': JSON.stringify(unigramTokenizer(), null, 2),
  };
  for (const [f, v] of Object.entries(files)) if (f !== opts.omit) writeFileSync(join(dir, f), v);
  return dir;
}
