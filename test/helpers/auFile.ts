// A Sun .au writer for fixtures and benchmarks (brain2music only reads .au): 24-byte big-endian
// header, 16-bit linear PCM (encoding 3), mono, the format GTZAN ships.
export function auBytes(samples: Float32Array, rate: number): Uint8Array {
  const out = new Uint8Array(24 + samples.length * 2);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x2e736e64);
  v.setUint32(4, 24);
  v.setUint32(8, samples.length * 2);
  v.setUint32(12, 3);
  v.setUint32(16, rate);
  v.setUint32(20, 1);
  samples.forEach((x, i) => v.setInt16(24 + 2 * i, Math.max(-32768, Math.min(32767, Math.round(x * 32767)))));
  return out;
}
