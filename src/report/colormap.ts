/** Control points of a perceptually ordered dark-blue → teal → yellow map (viridis-like). */
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** RGB (0-255) for `t` in [0, 1] (clamped; NaN → the lowest colour) by linear interpolation. */
export function colormap(t: number): [number, number, number] {
  const x = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

/**
 * Maps values to RGB bytes with `colormap`, scaling [lo, hi] to [0, 1].
 * @returns values.length × 3 bytes
 */
export function colorize(values: ArrayLike<number>, lo: number, hi: number): Uint8Array {
  const out = new Uint8Array(values.length * 3);
  const span = hi > lo ? hi - lo : 1;
  for (let i = 0; i < values.length; i++) out.set(colormap((values[i]! - lo) / span), 3 * i);
  return out;
}
