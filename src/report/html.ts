/** Escapes text for HTML element content and attribute values. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A number with `digits` decimals, or an en dash for a missing value. */
export function fmt(value: number | undefined, digits = 3): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const s = value.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s; // never "-0.000"
}

/** A proportion as a percentage with at most one decimal ("89.5%", "50%"), or an en dash. */
export function pct(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return `${(value * 100).toFixed(1).replace(/\.0$/, '')}%`;
}

/**
 * A permutation p-value with two significant digits, "≤ 1e-4"-style where no random pairing
 * reached the score (p is then the resolution 1/(nPerm + 1), not a measured value); an en dash
 * where none was computed.
 */
export function pValue(s: { p?: number; nPerm?: number; exact?: boolean }): string {
  if (s.p === undefined || !Number.isFinite(s.p)) return '–';
  if (s.nPerm && !s.exact && s.p <= 1 / (s.nPerm + 1) + 1e-12) return `≤ ${Number((1 / (s.nPerm + 1)).toPrecision(1))}`;
  return String(Number(s.p.toPrecision(2)));
}
