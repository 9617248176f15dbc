import { resolve } from 'node:path';
import { openDataset } from '../../bids/index.ts';
import { embedderInfo, embedderNames, type EmbeddingsMeta } from '../../embed/index.ts';
import { fail } from '../../errors.ts';
import { readTsv } from '../../io/index.ts';
import { datasetClips, datasetClipSec, embedJob, fileClips } from '../../pipeline/jobs/embed.ts';
import type { CliUi } from '../ui.ts';

/** Options of `brain2music embed`. */
export interface EmbedOptions {
  /** A folder of audio files, or audio files (clip id = file name without extension); with `bids`, the stimulus folder (GTZAN layouts). */
  audio?: string[];
  /** A dataset whose clips are embedded: the excerpts its events name, cut from the tracks under `audio` (default `<bids>/stimuli`). */
  bids?: string;
  /** builtin | clap | clap-text | muq | muq-text | codec | w2vbert | genre */
  model: string;
  /** Output `FILE.npy` (FILE.json is written beside it). */
  out: string;
  modelDir?: string;
  allowDownload?: boolean;
  /** Captions table for clap-text: TSV (clip_id, caption) or the paper's CSV (ID, DescEN). */
  captions?: string;
  /** Clip table with columns clip_id and genre, for `genre` (default: genre from the clip id). */
  clipTable?: string;
  /** w2v-BERT layer (default 7). */
  layer?: number;
  /** Window length in seconds (default: the model's own). */
  window?: number;
  hop?: number;
  clip?: number;
  /** Seconds of silence a short clip may be padded with (default 0.5). */
  maxPad?: number;
  skipShort?: boolean;
}

/**
 * `brain2music embed`: embeds every clip's windows with one model and writes FILE.npy
 * (float32 clips × windows × dim) + FILE.json. Resumable: rerunning skips clips already embedded.
 */
export async function runEmbed(opts: EmbedOptions, ui: CliUi): Promise<EmbeddingsMeta> {
  if (!embedderNames().includes(opts.model)) fail('BAD_INPUT', `unknown --model '${opts.model}'; known models: ${embedderNames().join(', ')}.`);
  const info = embedderInfo(opts.model);
  if (!opts.out.toLowerCase().endsWith('.npy')) fail('BAD_INPUT', `--out must name a .npy file, got '${opts.out}'.`);
  let clipGenres: Map<string, string> | undefined;
  if (opts.clipTable) {
    const t = readTsv(opts.clipTable);
    if (!t.columns.includes('clip_id') || !t.columns.includes('genre')) fail('BAD_FILE', `${opts.clipTable} needs columns clip_id and genre (has ${t.columns.join(', ')}).`);
    clipGenres = new Map(t.rows.map((r) => [r.clip_id, r.genre]));
  }
  let clips;
  let clipSec = opts.clip;
  if (opts.bids) {
    const ds = openDataset(opts.bids);
    if ((opts.audio?.length ?? 0) > 1) fail('BAD_INPUT', `with --bids, --audio names one stimulus folder, got ${opts.audio!.length} paths.`);
    clips = datasetClips(ds, opts.audio?.[0] ?? resolve(ds.root, 'stimuli'), info.needsAudio);
    clipSec ??= datasetClipSec(ds);
    clipGenres ??= new Map(ds.clips.map((c) => [c.id, c.genre]));
  } else {
    if (!opts.audio?.length) fail('BAD_INPUT', 'give --audio (a folder of clips, or files) or --bids (a dataset whose events name the clips).');
    clips = fileClips(opts.audio);
  }
  const res = await embedJob(
    {
      clips,
      model: { name: opts.model, modelDir: opts.modelDir, allowDownload: opts.allowDownload, windowSec: opts.window, hopSec: opts.hop, layer: opts.layer },
      out: resolve(opts.out), clipSec, captions: opts.captions, clipGenres, maxPadSec: opts.maxPad, skipShort: opts.skipShort,
    },
    ui,
  );
  return res.meta;
}
