/**
 * A music embedding model. It takes windows that are already exact (right sample rate, exactly
 * `windowSec` seconds, mono) and returns one vector per window; it contains no windowing logic.
 */
export interface Embedder {
  /** Registry name, e.g. `builtin`, `clap`. */
  readonly name: string;
  /** Model name and version written to the embeddings JSON (e.g. `builtin-1`, `clap:<folder>`). */
  readonly version: string;
  /** Output dimension. */
  readonly dim: number;
  /** Sample rate (Hz) the windows must have. */
  readonly sampleRate: number;
  /** Window length (seconds) the model is meant for; 0 when any length works. */
  readonly windowSec: number;
  /**
   * Embeds a batch of windows.
   * @param windows `n` mono windows at `sampleRate` Hz
   * @param context optional per-window metadata (clip id) for models that do not look at audio
   *   (`genre`, `clap-text`)
   * @returns `n × dim` row-major Float32Array
   */
  embed(windows: Float32Array[], context?: EmbedContext): Promise<Float32Array>;
  /** Releases model sessions (no-op for pure-TS models). */
  dispose?(): Promise<void>;
}

/** Metadata that travels with a batch of windows: `clipIds[i]` is the clip of window `i`. */
export interface EmbedContext {
  clipIds: string[];
}

/** Options every factory accepts. */
export interface EmbedderOptions {
  /** Local model folder (CLAP, w2v-BERT). */
  modelDir?: string;
  /** Let transformers.js fetch a hub id when the folder is missing (off by default). */
  allowDownload?: boolean;
  /** Captions table for `clap-text`: a TSV (`clip_id`, `caption`) or the Brain2Music captions CSV (`ID`, `DescEN`). */
  captions?: string;
  /** w2v-BERT layer (default 7). */
  layer?: number;
  /** Genre names for `genre` (default: the 10 GTZAN genres). */
  genres?: string[];
  /** Clip id → genre from a clip table, for `genre` (default: the id's prefix, `blues.00017`). */
  clipGenres?: ReadonlyMap<string, string>;
}
