/**
 * Seeded pseudo-random numbers shared by every stage: same seed → same sequence on every
 * platform. Not for cryptography.
 */

/** mulberry32: a 32-bit-state generator returning uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded generator with the draws stages need. */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
}

/** A {@link Rng} seeded with `seed` (any integer; taken modulo 2³²). */
export function createRng(seed: number): Rng {
  const u = mulberry32(seed);
  let spare: number | null = null;
  const rng: Rng = {
    uniform: u,
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let r1 = u();
      while (r1 === 0) r1 = u();
      const r2 = u();
      const rad = Math.sqrt(-2 * Math.log(r1));
      spare = rad * Math.sin(2 * Math.PI * r2);
      return rad * Math.cos(2 * Math.PI * r2);
    },
    int: (n) => Math.floor(u() * n),
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(u() * (i + 1));
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
      return items;
    },
  };
  return rng;
}

/** `n` standard normal draws as float32 (or float64) from `rng`. */
export function randomNormal(n: number, rng: Rng, dtype: 'float32' | 'float64' = 'float32'): Float32Array | Float64Array {
  const out = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}
