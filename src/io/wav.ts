import { fail } from '../errors.ts';
import { writeFileAtomic } from './atomic.ts';

/** Decoded audio: one Float32Array per channel, samples in [-1, 1] for PCM input. */
export interface DecodedAudio {
  channels: Float32Array[];
  sampleRate: number;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** True when the bytes start like a RIFF/WAVE file. */
export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WAVE';
}

/** Read interleaved frames of one sample format into per-channel float arrays. */
export function deinterleave(offset: number, frames: number, nch: number, read: (pos: number) => number, width: number): Float32Array[] {
  const channels = Array.from({ length: nch }, () => new Float32Array(frames));
  let pos = offset;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < nch; c++) {
      channels[c][f] = read(pos);
      pos += width;
    }
  }
  return channels;
}

/**
 * Parse a RIFF WAVE file: PCM 8 (unsigned), 16, 24, 32-bit; IEEE float 32/64; also as
 * WAVE_FORMAT_EXTENSIBLE; any number of channels. Unknown chunks are skipped. A data chunk
 * whose size is 0 or 0xFFFFFFFF (streamed WAV) runs to the end of the file; one that claims
 * more bytes than exist is an error (truncated file).
 */
export function parseWav(bytes: Uint8Array, source = '<bytes>'): DecodedAudio {
  if (!isWav(bytes)) fail('BAD_FILE', `${source}: not a RIFF/WAVE file.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 12;
  let fmt: { tag: number; nch: number; rate: number; bits: number; blockAlign: number } | null = null;
  while (pos + 8 <= bytes.length) {
    const id = String.fromCharCode(...bytes.subarray(pos, pos + 4));
    let size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) fail('BAD_FILE', `${source}: the fmt chunk is ${size} bytes, too short.`);
      let tag = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (tag === WAVE_FORMAT_EXTENSIBLE) {
        if (size < 40) fail('BAD_FILE', `${source}: WAVE_FORMAT_EXTENSIBLE fmt chunk is ${size} bytes, expected 40.`);
        tag = view.getUint16(body + 24, true); // first two bytes of the SubFormat GUID
      }
      fmt = { tag, nch: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits, blockAlign: view.getUint16(body + 12, true) };
    } else if (id === 'data') {
      if (!fmt) fail('BAD_FILE', `${source}: data chunk before the fmt chunk.`);
      const available = bytes.length - body;
      if (size === 0 || size === 0xffffffff) size = available;
      else if (size > available) fail('BAD_FILE', `${source}: truncated: the data chunk declares ${size} bytes but only ${available} follow. Re-export the file.`);
      return decodeFrames(view, body, size, fmt, source);
    }
    pos = body + size + (size & 1);
  }
  return fail('BAD_FILE', `${source}: no data chunk${fmt ? '' : ' and no fmt chunk'}; the WAV file is truncated or corrupt.`);
}

function decodeFrames(view: DataView, offset: number, size: number, fmt: { tag: number; nch: number; rate: number; bits: number; blockAlign: number }, source: string): DecodedAudio {
  const { tag, nch, rate, bits } = fmt;
  if (nch < 1) fail('BAD_FILE', `${source}: ${nch} channels.`);
  if (!(rate > 0)) fail('BAD_FILE', `${source}: sample rate ${rate}.`);
  const width = bits / 8;
  if (!Number.isInteger(width) || width < 1) fail('UNSUPPORTED', `${source}: ${bits}-bit samples are not supported (8, 16, 24, 32-bit PCM or 32/64-bit float).`);
  const frames = Math.floor(size / (width * nch));
  let read: (p: number) => number;
  if (tag === WAVE_FORMAT_PCM) {
    if (bits === 8) read = (p) => (view.getUint8(p) - 128) / 128;
    else if (bits === 16) read = (p) => view.getInt16(p, true) / 32768;
    else if (bits === 24) read = (p) => ((view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16))) / 8388608;
    else if (bits === 32) read = (p) => view.getInt32(p, true) / 2147483648;
    else return fail('UNSUPPORTED', `${source}: ${bits}-bit PCM is not supported (8, 16, 24 or 32).`);
  } else if (tag === WAVE_FORMAT_IEEE_FLOAT) {
    if (bits === 32) read = (p) => view.getFloat32(p, true);
    else if (bits === 64) read = (p) => view.getFloat64(p, true);
    else return fail('UNSUPPORTED', `${source}: ${bits}-bit float is not supported (32 or 64).`);
  } else {
    return fail('UNSUPPORTED', `${source}: WAV format tag ${tag} (compressed WAV) is not supported; convert to PCM, e.g. sox in.wav -e signed -b 16 out.wav.`);
  }
  return { channels: deinterleave(offset, frames, nch, read, width), sampleRate: rate };
}

/** Sample formats {@link encodeWav} writes. */
export type WavFormat = 'pcm16' | 'float32';

/**
 * Encode mono samples as a WAV file: 'pcm16' (default; values clipped to [-1, 1] and rounded)
 * or 'float32' (IEEE float, written as is). Deterministic.
 */
export function encodeWav(samples: Float32Array, sampleRate: number, opts: { format?: WavFormat } = {}): Uint8Array {
  const format = opts.format ?? 'pcm16';
  if (format !== 'pcm16' && format !== 'float32') fail('BAD_INPUT', `WAV format '${String(format)}' is not one of pcm16, float32.`);
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) fail('BAD_INPUT', `WAV sample rate must be a positive integer, got ${sampleRate}.`);
  const width = format === 'pcm16' ? 2 : 4;
  const dataBytes = samples.length * width;
  const fmtSize = format === 'pcm16' ? 16 : 18;
  const factSize = format === 'pcm16' ? 0 : 12; // non-PCM WAV carries a fact chunk
  const out = new Uint8Array(12 + 8 + fmtSize + factSize + 8 + dataBytes + (dataBytes & 1));
  const v = new DataView(out.buffer);
  const ascii = (p: number, s: string) => { for (let i = 0; i < 4; i++) out[p + i] = s.charCodeAt(i); };
  ascii(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  v.setUint16(20, format === 'pcm16' ? WAVE_FORMAT_PCM : WAVE_FORMAT_IEEE_FLOAT, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * width, true);
  v.setUint16(32, width, true);
  v.setUint16(34, width * 8, true);
  let p = 20 + fmtSize;
  if (factSize) {
    ascii(p, 'fact');
    v.setUint32(p + 4, 4, true);
    v.setUint32(p + 8, samples.length, true);
    p += 12;
  }
  ascii(p, 'data');
  v.setUint32(p + 4, dataBytes, true);
  p += 8;
  if (format === 'pcm16') {
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i];
      const c = x !== x ? 0 : x > 1 ? 1 : x < -1 ? -1 : x;
      v.setInt16(p + 2 * i, Math.max(-32768, Math.min(32767, Math.round(c * 32768))), true);
    }
  } else {
    for (let i = 0; i < samples.length; i++) v.setFloat32(p + 4 * i, samples[i], true);
  }
  return out;
}

/** Write mono samples as a WAV file atomically (see {@link encodeWav}). */
export function writeWav(path: string, samples: Float32Array, sampleRate: number, opts: { format?: WavFormat } = {}): void {
  writeFileAtomic(path, encodeWav(samples, sampleRate, opts));
}
