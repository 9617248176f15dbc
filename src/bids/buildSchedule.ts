import { fail } from '../errors.ts';
import type { EventRow } from './events.ts';
import type { ClipInfo, Presentation, RunSchedule, Task } from './types.ts';

/** The events of one run, as read from its file. */
export interface RunEvents {
  task: Task;
  run: number;
  file: string;
  events: EventRow[];
}

// Onsets and durations in scans must be whole numbers up to logging jitter (a tenth of a TR).
const onGrid = (x: number) => Math.abs(x - Math.round(x)) < 0.1;

/**
 * From the events of every run (training runs first, each task in run order) to the stimulus
 * schedule and the clip table:
 * - each run's first event is the duplicate of an earlier clip and is dropped; the run's
 *   response data then starts at the first kept clip's onset scan (`trimmedScans`);
 * - onsets and durations must sit on the TR grid; every clip spans the same number of scans;
 * - repetitions count earlier presentations of the same clip (0..3 for ds003720's test clips);
 * - a clip listed with two different excerpts, or in both tasks, is an error naming both files.
 */
export function buildSchedule(runs: RunEvents[], tr: number): { schedule: RunSchedule[]; clips: ClipInfo[] } {
  const clips = new Map<string, { info: ClipInfo; file: string }>();
  const seen = new Map<string, number>();
  const schedule: RunSchedule[] = [];
  let scansPerClip = 0;
  for (const r of runs) {
    if (r.events.length < 2) fail('BAD_FILE', `${r.file}: ${r.events.length} event(s); a run lists a duplicate first clip and then its clips (41 rows in ds003720).`);
    const last = r.events[r.events.length - 1];
    const endScans = (last.onset + last.duration) / tr;
    if (!onGrid(endScans)) fail('BAD_FILE', `${r.file}: the last event ends at ${last.onset + last.duration} s, not a whole number of TRs (${tr} s).`);
    const kept = r.events.slice(1);
    const trimmed = kept[0].onset / tr;
    if (!onGrid(trimmed)) fail('BAD_FILE', `${r.file}: onset ${kept[0].onset} s is not on the TR grid (${tr} s).`);
    const presentations: Presentation[] = [];
    for (const e of kept) {
      const first = e.onset / tr;
      const span = e.duration / tr;
      if (!onGrid(first) || !onGrid(span)) fail('BAD_FILE', `${r.file}: event at ${e.onset} s lasting ${e.duration} s does not start and end on the TR grid (${tr} s).`);
      if (scansPerClip === 0) scansPerClip = Math.round(span);
      else if (Math.round(span) !== scansPerClip) fail('MISMATCH', `${r.file}: clip ${e.clipId} lasts ${e.duration} s (${Math.round(span)} scans) but earlier clips last ${scansPerClip} scans; every clip must have the same length.`);
      const split = r.task === 'Training' ? 'training' : 'test';
      const prev = clips.get(e.clipId);
      if (!prev) {
        clips.set(e.clipId, { info: { id: e.clipId, genre: e.genre, track: e.track, start: e.start, end: e.end, split }, file: r.file });
      } else {
        if (Math.abs(prev.info.start - e.start) > 1e-6 || Math.abs(prev.info.end - e.end) > 1e-6) {
          fail('MISMATCH', `clip ${e.clipId} is listed with two excerpts: ${prev.info.start}–${prev.info.end} s in ${prev.file} and ${e.start}–${e.end} s in ${r.file}. Fix the events files so each clip has one excerpt.`);
        }
        if (prev.info.split !== split) fail('MISMATCH', `clip ${e.clipId} appears in both splits (${prev.file} and ${r.file}); training and test clips must be distinct.`);
      }
      const rep = seen.get(e.clipId) ?? 0;
      seen.set(e.clipId, rep + 1);
      presentations.push({ clipId: e.clipId, task: r.task, run: r.run, firstScan: Math.round(first - trimmed), repetition: rep });
    }
    schedule.push({ task: r.task, run: r.run, eventsFile: r.file, nScansInFile: Math.round(endScans), trimmedScans: Math.round(trimmed), scansPerClip, presentations });
  }
  const all = [...clips.values()].map((c) => c.info);
  return { schedule, clips: [...all.filter((c) => c.split === 'training'), ...all.filter((c) => c.split === 'test')] };
}
