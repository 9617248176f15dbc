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
const sameExcerpt = (a: { start: number; end: number }, b: { start: number; end: number }) => Math.abs(a.start - b.start) <= 1e-6 && Math.abs(a.end - b.end) <= 1e-6;

/**
 * From the events of every run (training runs first, each task in run order) to the stimulus
 * schedule and the clip table:
 * - each run's first event is the duplicate of a clip played elsewhere and is dropped (in
 *   ds003720: training run r repeats run r−1's last clip, training run 1 repeats run 12's last
 *   clip, each test run its own last clip); the run's response data then starts at the first kept
 *   clip's onset scan (`trimmedScans`). A dropped clip that is presented elsewhere must name the
 *   same excerpt; one presented nowhere (a subset of the runs) is dropped all the same;
 * - onsets and durations must sit on the TR grid; every clip spans the same number of scans;
 * - repetitions count earlier presentations of the same clip (0..3 for ds003720's test clips);
 * - a clip listed with two different excerpts, or in both tasks, is an error naming both files.
 */
export function buildSchedule(runs: RunEvents[], tr: number): { schedule: RunSchedule[]; clips: ClipInfo[] } {
  const clips = new Map<string, { info: ClipInfo; file: string }>();
  const seen = new Map<string, number>();
  const schedule: RunSchedule[] = [];
  const dropped: { event: EventRow; file: string }[] = [];
  let scansPerClip = 0;
  for (const r of runs) {
    if (r.events.length < 2) fail('BAD_FILE', `${r.file}: ${r.events.length} event(s); a run lists a duplicate first clip and then its clips (41 rows in ds003720).`);
    const last = r.events[r.events.length - 1];
    const endScans = (last.onset + last.duration) / tr;
    if (!onGrid(endScans)) fail('BAD_FILE', `${r.file}: the last event ends at ${last.onset + last.duration} s, not a whole number of TRs (${tr} s).`);
    dropped.push({ event: r.events[0], file: r.file });
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
        if (!sameExcerpt(prev.info, e)) {
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
  for (const { event: e, file } of dropped) {
    const prev = clips.get(e.clipId);
    if (prev && !sameExcerpt(prev.info, e)) {
      fail('MISMATCH', `${file}: the first event (clip ${e.clipId}, ${e.start}–${e.end} s) is dropped as the repeat of a clip played elsewhere, but ${prev.file} plays ${e.clipId} as ${prev.info.start}–${prev.info.end} s. Fix the events files so each clip has one excerpt.`);
    }
  }
  const all = [...clips.values()].map((c) => c.info);
  return { schedule, clips: [...all.filter((c) => c.split === 'training'), ...all.filter((c) => c.split === 'test')] };
}
