// Synthetic "genre" clips for the builtin model's tests before (and besides) the simulator: each
// class has its own tempo range, instrument timbre (harmonic roll-off, attack), drum density and
// pitch register; clips within a class differ by seed (tempo, key, notes, noise).
export interface SynthClass { tempo: [number, number]; rolloff: number; attack: number; drums: number; octave: number; noise: number }

export const SYNTH_CLASSES: SynthClass[] = [
  { tempo: [60, 80], rolloff: 0.3, attack: 0.08, drums: 0, octave: 4, noise: 0.0 },
  { tempo: [120, 130], rolloff: 0.8, attack: 0.005, drums: 1, octave: 3, noise: 0.02 },
  { tempo: [85, 100], rolloff: 0.6, attack: 0.02, drums: 0.5, octave: 2, noise: 0.01 },
  { tempo: [140, 180], rolloff: 0.95, attack: 0.002, drums: 1, octave: 2, noise: 0.08 },
];

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A mono clip of `sec` seconds at `sr` Hz from class `cls` and `seed`. */
export function synthClip(cls: SynthClass, seed: number, sec = 15, sr = 22050): Float32Array {
  const rnd = mulberry32(seed);
  const n = Math.round(sec * sr);
  const x = new Float32Array(n);
  const tempo = cls.tempo[0] + rnd() * (cls.tempo[1] - cls.tempo[0]);
  const beat = 60 / tempo;
  const key = Math.floor(rnd() * 12);
  const scale = [0, 2, 4, 5, 7, 9, 11];
  for (let b = 0; b * beat < sec; b++) {
    const t0 = Math.round(b * beat * sr);
    const midi = 12 * (cls.octave + 1) + key + scale[Math.floor(rnd() * 7)];
    const f0 = 440 * 2 ** ((midi - 69) / 12);
    const dur = Math.min(n - t0, Math.round(beat * sr));
    for (let i = 0; i < dur; i++) {
      const t = i / sr;
      const env = Math.min(1, t / cls.attack) * Math.exp(-t * 3);
      let v = 0;
      for (let h = 1; h <= 8; h++) v += cls.rolloff ** (h - 1) * Math.sin(2 * Math.PI * f0 * h * t);
      x[t0 + i] += 0.15 * env * v;
    }
    if (cls.drums > 0 && rnd() < cls.drums) {
      const len = Math.min(n - t0, Math.round(0.08 * sr));
      for (let i = 0; i < len; i++) x[t0 + i] += 0.3 * (rnd() * 2 - 1) * Math.exp(-i / (0.02 * sr));
    }
  }
  for (let i = 0; i < n; i++) x[i] += cls.noise * (rnd() * 2 - 1);
  return x;
}
