import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fail } from '../errors.ts';
import { isAu, parseAu } from './au.ts';
import { isWav, parseWav, type DecodedAudio } from './wav.ts';

/**
 * File name endings of the audio `readAudio` decodes, lower case with the dot, in order of
 * preference when a clip may exist in several formats (GTZAN ships .au; many copies use .wav).
 * The one list every folder scan uses (stimuli, `embed --audio`, libraries).
 */
export const AUDIO_EXTENSIONS = ['.wav', '.au', '.flac', '.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.aif', '.aiff'] as const;

/** True when `path` ends in one of {@link AUDIO_EXTENSIONS} (any case). */
export function isAudioFile(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot >= 0 && (AUDIO_EXTENSIONS as readonly string[]).includes(path.slice(dot).toLowerCase());
}

/** Mono audio at a known rate. */
export interface MonoAudio {
  samples: Float32Array;
  sampleRate: number;
}

/** Average of all channels (one channel → a copy is not made). */
export function mixToMono(channels: Float32Array[]): Float32Array {
  if (channels.length === 0) fail('BAD_INPUT', 'mixToMono: no channels.');
  if (channels.length === 1) return channels[0];
  const n = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) out[i] += c[i];
  const k = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i] *= k;
  return out;
}

interface AudioDecodeResult { channelData: Float32Array[]; sampleRate: number }

/**
 * Decode audio bytes to channels: WAV and Sun .au by our own parsers (exact, any PCM/float
 * layout); MP3, FLAC, OGG Vorbis/Opus, AAC/M4A and the other formats `audio-decode` (wasm
 * decoders, works offline in Node) recognises from the bytes.
 */
export async function decodeAudio(bytes: Uint8Array, source = '<bytes>'): Promise<DecodedAudio> {
  if (isWav(bytes)) return parseWav(bytes, source);
  if (isAu(bytes)) return parseAu(bytes, source);
  let decoded: AudioDecodeResult;
  try {
    const { default: decode } = await import('audio-decode');
    decoded = (await decode(bytes)) as AudioDecodeResult;
  } catch (err) {
    return fail('BAD_FILE', `${source}: cannot decode audio (${(err as Error).message}). Supported: WAV, AU, MP3, FLAC, OGG Vorbis/Opus, M4A/AAC; convert others with sox or ffmpeg.`, err);
  }
  if (!decoded || !Array.isArray(decoded.channelData) || decoded.channelData.length === 0 || !(decoded.sampleRate > 0)) {
    fail('BAD_FILE', `${source}: the decoder returned no audio; the file is empty or corrupt.`);
  }
  return { channels: decoded.channelData, sampleRate: decoded.sampleRate };
}

/**
 * Read an audio file as mono float32 at its own sample rate (formats: see {@link decodeAudio});
 * dsp's `atRate` brings it to the rate a model needs.
 *
 * @example const { samples, sampleRate } = await readAudio('genres/blues/blues.00017.au') // 22050 Hz
 */
export async function readAudio(path: string): Promise<MonoAudio> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    return fail('NOT_FOUND', `Cannot read audio file ${path}: ${(err as Error).message}`, err);
  }
  if (bytes.length === 0) fail('BAD_FILE', `${path}: empty file (extension ${extname(path) || 'none'}).`);
  const dec = await decodeAudio(bytes, path);
  return { samples: mixToMono(dec.channels), sampleRate: Math.round(dec.sampleRate) };
}
