import { fail } from '../errors.ts';
import { deinterleave, type DecodedAudio } from './wav.ts';

/** True when the bytes start with the Sun/NeXT audio magic `.snd` (GTZAN ships its clips as .au). */
export function isAu(bytes: Uint8Array): boolean {
  return bytes.length >= 24 && bytes[0] === 0x2e && bytes[1] === 0x73 && bytes[2] === 0x6e && bytes[3] === 0x64;
}

function ulaw(b: number): number {
  const u = ~b & 0xff;
  const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return (u & 0x80 ? 0x84 - t : t - 0x84) / 32768;
}

function alaw(b: number): number {
  const a = b ^ 0x55;
  const seg = (a & 0x70) >> 4;
  let t = (a & 0x0f) << 4;
  t = seg === 0 ? t + 8 : ((t + 0x108) << (seg - 1));
  return (a & 0x80 ? t : -t) / 32768;
}

/**
 * Parse a Sun/NeXT `.au` file (big-endian): μ-law, A-law, 8/16/24/32-bit PCM, 32/64-bit float,
 * any number of channels. A data size of 0xFFFFFFFF (unknown) runs to the end of the file.
 */
export function parseAu(bytes: Uint8Array, source = '<bytes>'): DecodedAudio {
  if (!isAu(bytes)) fail('BAD_FILE', `${source}: not a Sun .au file (no '.snd' magic).`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = v.getUint32(4, false);
  let size = v.getUint32(8, false);
  const encoding = v.getUint32(12, false);
  const rate = v.getUint32(16, false);
  const nch = v.getUint32(20, false);
  if (offset < 24 || offset > bytes.length) fail('BAD_FILE', `${source}: data offset ${offset} is outside the file; the .au header is corrupt.`);
  if (!(rate > 0) || nch < 1) fail('BAD_FILE', `${source}: sample rate ${rate}, ${nch} channels; the .au header is corrupt.`);
  const available = bytes.length - offset;
  if (size === 0xffffffff) size = available;
  else if (size > available) fail('BAD_FILE', `${source}: truncated: the header declares ${size} bytes of audio but only ${available} follow.`);
  const formats: Record<number, [number, (p: number) => number]> = {
    1: [1, (p) => ulaw(v.getUint8(p))],
    2: [1, (p) => v.getInt8(p) / 128],
    3: [2, (p) => v.getInt16(p, false) / 32768],
    4: [3, (p) => ((v.getInt8(p) << 16) | (v.getUint8(p + 1) << 8) | v.getUint8(p + 2)) / 8388608],
    5: [4, (p) => v.getInt32(p, false) / 2147483648],
    6: [4, (p) => v.getFloat32(p, false)],
    7: [8, (p) => v.getFloat64(p, false)],
    27: [1, (p) => alaw(v.getUint8(p))],
  };
  const f = formats[encoding];
  if (!f) fail('UNSUPPORTED', `${source}: .au encoding ${encoding} is not supported (μ-law, A-law, PCM 8–32 bit, float); convert it with sox in.au -e signed -b 16 out.wav.`);
  const [width, read] = f;
  return { channels: deinterleave(offset, Math.floor(size / (width * nch)), nch, read, width), sampleRate: rate };
}
