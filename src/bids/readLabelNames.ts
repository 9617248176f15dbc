import { readFileSync } from 'node:fs';
import { fail } from '../errors.ts';

/**
 * Label names from a lookup table, either a BIDS-style TSV with a header naming `index` and
 * `name` columns (fMRIPrep's desc-aparcaseg_dseg.tsv, a dseg.tsv), or FreeSurferColorLUT-style
 * text: `<id> <name> [R G B A]` per line, whitespace separated, `#` comments and blank lines
 * ignored. Errors name the file and line.
 *
 * @example readLabelNames('FreeSurferColorLUT.txt').get(11133) // 'ctx_lh_G_temp_sup-G_T_transv'
 */
export function readLabelNames(path: string): Map<number, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail('NOT_FOUND', `Cannot read label names ${path}: ${(err as Error).message}`, err);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const names = new Map<number, string>();
  const first = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (first < 0) fail('BAD_FILE', `${path}: no labels; expected a TSV with columns index and name, or FreeSurferColorLUT lines '<id> <name> R G B A'.`);
  const header = lines[first].split('\t').map((c) => c.trim());
  const add = (id: number, name: string, line: number) => {
    if (!Number.isInteger(id)) fail('BAD_FILE', `${path}: line ${line}: label id must be an integer.`);
    if (name === '') fail('BAD_FILE', `${path}: line ${line}: label ${id} has no name.`);
    if (names.has(id)) fail('BAD_FILE', `${path}: line ${line}: label ${id} is listed twice.`);
    names.set(id, name);
  };
  if (header.includes('index') && header.includes('name')) {
    const ci = header.indexOf('index');
    const cn = header.indexOf('name');
    for (let i = first + 1; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      const f = lines[i].split('\t');
      if (f.length !== header.length) fail('BAD_FILE', `${path}: line ${i + 1} has ${f.length} fields but the header has ${header.length}.`);
      add(Number(f[ci].trim()), f[cn].trim().replace(/^(['"])(.*)\1$/, '$2'), i + 1);
    }
  } else {
    for (let i = first; i < lines.length; i++) {
      const l = lines[i].trim();
      if (l === '' || l.startsWith('#')) continue;
      const f = l.split(/\s+/);
      if (f.length < 2 || !/^-?\d+$/.test(f[0])) fail('BAD_FILE', `${path}: line ${i + 1} ('${l.slice(0, 40)}') is not '<id> <name> …'; expected a TSV with columns index and name, or FreeSurferColorLUT lines.`);
      add(Number(f[0]), f[1], i + 1);
    }
  }
  return names;
}
