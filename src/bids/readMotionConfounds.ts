import { fail } from '../errors.ts';
import { readTsv } from '../io/index.ts';

/** Which fMRIPrep confounds to regress out: the 6 rigid-body motion parameters, those plus their 6 temporal derivatives, or nothing. */
export type ConfoundsMode = 'motion6' | 'motion12' | 'none';

export const CONFOUNDS_MODES: readonly ConfoundsMode[] = ['motion6', 'motion12', 'none'];

/** fMRIPrep's six head-motion columns (translations in mm, rotations in rad). */
export const MOTION_COLUMNS = ['trans_x', 'trans_y', 'trans_z', 'rot_x', 'rot_y', 'rot_z'] as const;

/** The confound columns a mode uses, in order (`trans_x`, …, then `trans_x_derivative1`, … for motion12). */
export function confoundColumns(mode: ConfoundsMode): string[] {
  if (mode === 'none') return [];
  if (mode === 'motion6') return [...MOTION_COLUMNS];
  if (mode === 'motion12') return [...MOTION_COLUMNS, ...MOTION_COLUMNS.map((c) => `${c}_derivative1`)];
  return fail('BAD_INPUT', `confounds '${String(mode)}' is not one of ${CONFOUNDS_MODES.join(', ')}.`);
}

/**
 * Read the motion regressors of one run from an fMRIPrep `desc-confounds_timeseries.tsv` (or the
 * older `desc-confounds_regressors.tsv`): `data` is nScans × columns.length row-major float64.
 * Other columns are ignored. A `_derivative1` column's first row is `n/a` in fMRIPrep (no
 * previous volume) and is taken as 0; any other `n/a` or non-number is BAD_FILE naming the line.
 * Missing columns: BAD_FILE naming the file and every missing column.
 */
export function readMotionConfounds(path: string, mode: ConfoundsMode): { columns: string[]; nScans: number; data: Float64Array } {
  const columns = confoundColumns(mode);
  const table = readTsv(path);
  const missing = columns.filter((c) => !table.columns.includes(c));
  if (missing.length > 0) {
    fail('BAD_FILE', `${path}: missing confound column(s) ${missing.join(', ')} needed by --confounds ${mode}; an fMRIPrep confounds file has ${columns.join(', ')} (this one has ${table.columns.length} columns: ${table.columns.slice(0, 8).join(', ')}${table.columns.length > 8 ? ', …' : ''}). Use the file fMRIPrep wrote, or --confounds ${mode === 'motion12' ? 'motion6 or none' : 'none'}.`);
  }
  const nScans = table.rows.length;
  const data = new Float64Array(nScans * columns.length);
  table.rows.forEach((row, t) => {
    columns.forEach((c, j) => {
      const s = row[c];
      if (s === 'n/a' && t === 0 && c.endsWith('_derivative1')) return; // first derivative has no previous volume
      const x = Number(s);
      if (s === '' || !Number.isFinite(x)) fail('BAD_FILE', `${path}: line ${t + 2}, column ${c} is '${s}', expected a number.`);
      data[t * columns.length + j] = x;
    });
  });
  return { columns, nScans, data };
}
