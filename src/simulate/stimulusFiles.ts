import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../io/index.ts';
import type { Arrangement } from '../music/index.ts';

/** `params.json` of a folder of rendered clips: the arrangement of every clip, by id. */
export interface ParamsFile {
  version: 1;
  sampleRate: number;
  clips: Record<string, Arrangement>;
}

/**
 * prepareClipFolder(dir, audioDir, params) → makes a folder's WAVs agree with `params` before
 * rendering: a WAV whose recorded arrangement differs from the new one (or that has no record) is
 * deleted, then the new `params.json` is written. Files that match are kept, so rendering resumes.
 */
export function prepareClipFolder(paramsPath: string, audioDir: string, params: ParamsFile): { kept: number; removed: number } {
  let old: ParamsFile | null = null;
  if (existsSync(paramsPath)) {
    try {
      old = JSON.parse(readFileSync(paramsPath, 'utf8')) as ParamsFile;
    } catch {
      old = null;
    }
  }
  let kept = 0;
  let removed = 0;
  for (const [id, a] of Object.entries(params.clips)) {
    const wav = join(audioDir, `${id}.wav`);
    if (!existsSync(wav)) continue;
    const before = old && old.sampleRate === params.sampleRate ? old.clips[id] : undefined;
    if (before && JSON.stringify(before) === JSON.stringify(a)) kept++;
    else {
      rmSync(wav);
      removed++;
    }
  }
  writeJsonAtomic(paramsPath, params);
  return { kept, removed };
}

/** Flat table columns describing an arrangement (stimuli.tsv, library.tsv). */
export const ARRANGEMENT_COLUMNS = [
  'tempo', 'key', 'mode', 'beats_per_bar', 'swing', 'progression', 'drum_kit', 'drum_pattern', 'bass_program', 'bass_style',
  'chords_program', 'chords_style', 'lead_program', 'lead_scale', 'pad_program', 'density', 'dynamics', 'reverb', 'sections', 'seed',
] as const;

/** One table row of an arrangement's parameters ('n/a' for parts it lacks). */
export function arrangementRow(a: Arrangement): Record<string, string | number | null> {
  return {
    tempo: a.tempo, key: a.key, mode: a.mode, beats_per_bar: a.beatsPerBar, swing: a.swing, progression: a.progression.join('-'),
    drum_kit: a.drums?.kit ?? null, drum_pattern: a.drums?.pattern ?? null, bass_program: a.bass?.program ?? null, bass_style: a.bass?.style ?? null,
    chords_program: a.chords?.program ?? null, chords_style: a.chords?.style ?? null, lead_program: a.lead?.program ?? null,
    lead_scale: a.lead?.scale ?? null, pad_program: a.pad?.program ?? null, density: a.density, dynamics: a.dynamics, reverb: a.reverb,
    sections: a.sections.length, seed: a.seed,
  };
}
