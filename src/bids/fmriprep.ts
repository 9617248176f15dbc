// Where fMRIPrep (and the FreeSurfer run inside it) put what brain2music reads, following
// fMRIPrep's documented outputs (BIDS Derivatives): func/ per run, anat/ per subject, and the
// FreeSurfer subjects dir at <fmriprep>/sourcedata/freesurfer (21.0 and later) or a sibling
// freesurfer/ folder (the legacy <out>/fmriprep + <out>/freesurfer layout).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DATASET_DEFAULTS } from '../defaults.ts';
import { fail } from '../errors.ts';
import type { Task } from './types.ts';

/** A BIDS file name split into entities (`sub`, `task`, `run`, …), suffix and extension. */
export interface BidsName {
  entities: Map<string, string>;
  suffix: string;
  ext: string;
}

/** `sub-001_task-Test_run-01_space-T1w_desc-preproc_bold.nii.gz` → entities {sub, task, run, space, desc}, suffix `bold`, ext `.nii.gz`; null if it is not BIDS-shaped. */
export function parseBidsName(name: string): BidsName | null {
  const m = /^([^.]+)(\..+)$/.exec(name);
  if (!m) return null;
  const parts = m[1].split('_');
  const suffix = parts.pop() as string;
  const entities = new Map<string, string>();
  for (const p of parts) {
    const kv = /^([a-zA-Z]+)-([a-zA-Z0-9+]+)$/.exec(p);
    if (!kv || entities.has(kv[1])) return null;
    entities.set(kv[1], kv[2]);
  }
  if (!entities.has('sub') || !/^[a-zA-Z0-9]+$/.test(suffix)) return null;
  return { entities, suffix, ext: m[2] };
}

/** The output space asked for: `T1w`, `MNI152NLin2009cAsym`, or fMRIPrep's `MNI152NLin2009cAsym:res-2` form. */
export interface FmriprepSpace {
  space: string;
  /** `res-<n>` value, or undefined to take the only one present. */
  res?: string;
}

/** Parse `T1w`, `MNI152NLin2009cAsym`, `MNI152NLin2009cAsym:res-2` or `space-MNI152NLin2009cAsym_res-2`. */
export function parseSpace(spec: string): FmriprepSpace {
  const m = /^(?:space-)?([a-zA-Z0-9]+)(?:[:_]res-([a-zA-Z0-9]+))?$/.exec(spec.trim());
  if (!m) fail('BAD_INPUT', `space '${spec}' is not an fMRIPrep output space such as T1w, MNI152NLin2009cAsym or MNI152NLin2009cAsym:res-2.`);
  return m[2] === undefined ? { space: m[1] } : { space: m[1], res: m[2] };
}

/** One run's fMRIPrep files. */
export interface FmriprepRun {
  task: Task;
  run: number;
  bold: string;
  mask: string;
  confounds: string;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** The func/ folders of a subject: `sub-X/func` and `sub-X/ses-*\/func`. */
function funcDirs(dir: string, subject: string): string[] {
  const sub = join(dir, subject);
  const out = [join(sub, 'func')];
  for (const n of listDir(sub)) if (/^ses-[a-zA-Z0-9]+$/.test(n)) out.push(join(sub, n, 'func'));
  return out.filter((d) => existsSync(d));
}

/** The anat/ folders of a subject (subject level first, then sessions). */
function anatDirs(dir: string, subject: string): string[] {
  const sub = join(dir, subject);
  const out = [join(sub, 'anat')];
  for (const n of listDir(sub)) if (/^ses-[a-zA-Z0-9]+$/.test(n)) out.push(join(sub, n, 'anat'));
  return out.filter((d) => existsSync(d));
}

function runKey(task: string, run: number): string {
  return `${task}-${run}`;
}

/**
 * Find, for each (task, run) the events ask for, the fMRIPrep preprocessed BOLD in `space`, its
 * brain mask and its confounds table:
 * `sub-X[/ses-Y]/func/sub-X[_ses-Y]_task-<T>_run-<N>[_…]_space-<S>[_res-<R>]_desc-preproc_bold.nii[.gz]`,
 * `…_space-<S>[_res-<R>]_desc-brain_mask.nii[.gz]`, and `…_task-<T>_run-<N>[_…]_desc-confounds_timeseries.tsv`
 * (before fMRIPrep 20.2: `_desc-confounds_regressors.tsv`). Run numbers match with or without
 * zero padding (`run-01` / `run-1`). Missing or ambiguous files are NOT_FOUND / BAD_INPUT naming
 * the expected path and how to get it.
 */
export function findFmriprepRuns(dir: string, subject: string, space: FmriprepSpace, wanted: { task: Task; run: number }[]): FmriprepRun[] {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    fail('NOT_FOUND', `fMRIPrep folder ${root} does not exist; pass the fMRIPrep output folder (the one holding ${subject}/func/ and dataset_description.json), e.g. --derivatives <bids>/derivatives/fmriprep.`);
  }
  const dirs = funcDirs(root, subject);
  if (dirs.length === 0) fail('NOT_FOUND', `${join(root, subject, 'func')} does not exist: fMRIPrep has not been run for ${subject} in ${root} (fmriprep <bids> ${root} participant --participant-label ${subject.replace(/^sub-/, '')}).`);
  type Found = { bold: string[]; mask: string[]; confounds: string[]; boldRes: Set<string> };
  const found = new Map<string, Found>();
  const spaces = new Set<string>();
  for (const d of dirs) {
    for (const name of listDir(d)) {
      const b = parseBidsName(name);
      if (!b || b.entities.get('sub') !== subject.replace(/^sub-/, '')) continue;
      const task = b.entities.get('task');
      const runS = b.entities.get('run');
      if (!task || !runS || !/^\d+$/.test(runS)) continue;
      const key = runKey(task, Number(runS));
      const f = found.get(key) ?? { bold: [], mask: [], confounds: [], boldRes: new Set<string>() };
      found.set(key, f);
      const desc = b.entities.get('desc');
      const sp = b.entities.get('space');
      const res = b.entities.get('res');
      const isNii = b.ext === '.nii.gz' || b.ext === '.nii';
      if (desc === 'confounds' && (b.suffix === 'timeseries' || b.suffix === 'regressors') && b.ext === '.tsv') {
        f.confounds.push(join(d, name));
        continue;
      }
      if (!isNii || sp === undefined) continue;
      if (desc === 'preproc' && b.suffix === 'bold') spaces.add(res ? `${sp}:res-${res}` : sp);
      if (sp !== space.space || (space.res !== undefined && res !== space.res)) continue;
      if (desc === 'preproc' && b.suffix === 'bold') {
        f.bold.push(join(d, name));
        f.boldRes.add(res ?? '');
      } else if (desc === 'brain' && b.suffix === 'mask') f.mask.push(join(d, name));
    }
  }
  const label = space.res ? `${space.space}:res-${space.res}` : space.space;
  const spaceTag = `space-${space.space}${space.res ? `_res-${space.res}` : ''}`;
  return wanted.map(({ task, run }) => {
    const stem = `${subject}_task-${task}_run-${String(run).padStart(2, '0')}`;
    const f = found.get(runKey(task, run));
    const expected = (what: string) => join(root, subject, 'func', `${stem}_${what}`);
    if (!f || f.bold.length === 0) {
      const have = [...spaces].sort();
      fail('NOT_FOUND', `no fMRIPrep BOLD for ${subject} task-${task} run-${String(run).padStart(2, '0')} in space ${label}: expected ${expected(`${spaceTag}_desc-preproc_bold.nii.gz`)}. ${have.length > 0 ? `This folder has preprocessed BOLD in space ${have.join(', ')}; pass one of them as the space.` : `Run fMRIPrep with --output-spaces ${label}.`}`);
    }
    if (f.boldRes.size > 1 && space.res === undefined) {
      fail('BAD_INPUT', `${subject} task-${task} run-${String(run).padStart(2, '0')} has preprocessed BOLD in space ${space.space} at several resolutions (res-${[...f.boldRes].filter((r) => r).join(', res-')}); pass the space as ${space.space}:res-<n>.`);
    }
    const pick = (paths: string[], what: string, how: string): string => {
      const gz = paths.filter((p) => p.endsWith('.gz'));
      const list = gz.length > 0 ? gz : paths;
      if (list.length === 0) fail('NOT_FOUND', `${what} for ${subject} task-${task} run-${String(run).padStart(2, '0')} is missing: expected ${how}.`);
      if (list.length > 1) fail('BAD_INPUT', `${what} for ${subject} task-${task} run-${String(run).padStart(2, '0')} is ambiguous: ${list.map((p) => basename(p)).join(', ')}; keep one (other BIDS entities such as acq- or echo- tell them apart).`);
      return list[0];
    };
    const bold = pick(f.bold, 'the preprocessed BOLD', expected(`${spaceTag}_desc-preproc_bold.nii.gz`));
    const boldDir = dirname(bold);
    const sameDir = (ps: string[]) => ps.filter((p) => dirname(p) === boldDir);
    const mask = pick(sameDir(f.mask), 'the BOLD brain mask', `${expected(`${spaceTag}_desc-brain_mask.nii.gz`)} (fMRIPrep writes it next to the preprocessed BOLD)`);
    const timeseries = sameDir(f.confounds).filter((p) => p.endsWith('_desc-confounds_timeseries.tsv'));
    const confounds = pick(timeseries.length > 0 ? timeseries : sameDir(f.confounds), 'the confounds table', `${expected('desc-confounds_timeseries.tsv')} (fMRIPrep writes it for every run; before 20.2 it was named _desc-confounds_regressors.tsv)`);
    return { task, run, bold, mask, confounds };
  });
}

/** Which parcellation to look for when the user names no atlas file. */
export type ParcellationChoice = 'auto' | 'destrieux' | 'desikan';

/** A parcellation found for a subject, with where it lives. */
export interface ParcellationSource {
  /** 'destrieux': FreeSurfer's aparc.a2009s+aseg.mgz (fsnative); 'desikan': fMRIPrep's desc-aparcaseg_dseg (T1w); 'user': a file the user named. */
  kind: 'destrieux' | 'desikan' | 'user';
  file: string;
  /** fsnative → T1w affine file to apply (FreeSurfer volumes only, when fMRIPrep wrote one). */
  transform: string | null;
  /** Label names file (user atlases: the one given; desikan: fMRIPrep's desc-aparcaseg_dseg.tsv when present). */
  names: string | null;
}

/**
 * The FreeSurfer subject folder of `subject`: `freesurfer` (a subjects dir holding `<subject>/`,
 * or the subject's own folder holding `mri/`) when given, else `<fmriprep>/sourcedata/freesurfer/<subject>`,
 * else the legacy sibling `<fmriprep>/../freesurfer/<subject>`. Returns the candidates tried too.
 */
export function freesurferSubjectDir(fmriprepDir: string, subject: string, freesurfer?: string): { dir: string | null; tried: string[] } {
  const candidates = freesurfer
    ? [join(resolve(freesurfer), subject), resolve(freesurfer)]
    : [join(resolve(fmriprepDir), 'sourcedata', 'freesurfer', subject), join(dirname(resolve(fmriprepDir)), 'freesurfer', subject)];
  const dir = candidates.find((c) => existsSync(join(c, 'mri'))) ?? null;
  return { dir, tried: candidates };
}

/**
 * Find the parcellation to use for `subject` (see {@link ParcellationSource}). With `auto`,
 * FreeSurfer's Destrieux volume (the paper's atlas) is preferred, then fMRIPrep's aparc+aseg
 * (Desikan-Killiany) in T1w space (`anat/sub-X_desc-aparcaseg_dseg.nii.gz`, or the run-level
 * `func/…_space-T1w_desc-aparcaseg_dseg.nii.gz`). The fsnative → T1w transform
 * (`anat/sub-X_from-fsnative_to-T1w_mode-image_xfm.txt`) is applied to FreeSurfer volumes when
 * present. Nothing found: NOT_FOUND listing the paths tried and the ways to get one.
 */
export function findParcellation(fmriprepDir: string, subject: string, opts: { choice?: ParcellationChoice; freesurfer?: string; firstBold?: string } = {}): ParcellationSource {
  const choice = opts.choice ?? DATASET_DEFAULTS.parcellation;
  if (!['auto', 'destrieux', 'desikan'].includes(choice)) fail('BAD_INPUT', `parcellation '${choice}' is not one of auto, destrieux, desikan.`);
  const root = resolve(fmriprepDir);
  const anat = anatDirs(root, subject);
  const inAnat = (suffix: string): string | null => {
    for (const d of anat) for (const n of listDir(d)) if (n.startsWith(`${subject}_`) && n.endsWith(suffix)) return join(d, n);
    return null;
  };
  const tried: string[] = [];
  if (choice !== 'desikan') {
    const fs = freesurferSubjectDir(root, subject, opts.freesurfer);
    const candidates = (fs.dir ? [fs.dir] : fs.tried).map((d) => join(d, 'mri', 'aparc.a2009s+aseg.mgz'));
    tried.push(...candidates);
    const file = candidates.find((c) => existsSync(c));
    if (file) {
      const transform = inAnat('_from-fsnative_to-T1w_mode-image_xfm.txt');
      return { kind: 'destrieux', file, transform, names: null };
    }
  }
  if (choice !== 'destrieux') {
    const a = inAnat('_desc-aparcaseg_dseg.nii.gz') ?? inAnat('_desc-aparcaseg_dseg.nii');
    tried.push(join(root, subject, 'anat', `${subject}_desc-aparcaseg_dseg.nii.gz`));
    let file = a;
    if (!file && opts.firstBold) {
      const f = opts.firstBold.replace(/_space-[^_]+(_res-[^_]+)?_desc-preproc_bold\.nii(\.gz)?$/, '_space-T1w_desc-aparcaseg_dseg.nii.gz');
      tried.push(f);
      if (existsSync(f)) file = f;
    }
    if (file) {
      const tsv = join(root, 'desc-aparcaseg_dseg.tsv');
      return { kind: 'desikan', file, transform: null, names: existsSync(tsv) ? tsv : null };
    }
  }
  return fail('NOT_FOUND', `no parcellation for ${subject}: looked for ${tried.join(', ')}. Run fMRIPrep with FreeSurfer (without --fs-no-reconall) so that sourcedata/freesurfer/${subject}/mri/aparc.a2009s+aseg.mgz exists, pass the FreeSurfer subjects dir (--freesurfer DIR), or pass a label image in the BOLD space (--atlas FILE [--atlas-names LUT]).`);
}
