import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { genreOfClipId } from '../bids/index.ts';
import { fail } from '../errors.ts';
import { drawListeningTrials, type ListeningCandidate } from '../evaluate/index.ts';
import { readJsonLines, writeJsonAtomic } from '../io/index.ts';
import { createRng, deriveSeed, hashString } from '../linalg/index.ts';
import type { Reporter } from '../progress.ts';
import { readRunJson, runLayout, runPath, type DecodePredictionsInfo, type ListeningAnswer, type ListeningKind, type ListeningSession } from '../run/index.ts';
import { REPORT_ASSETS } from './buildReport.ts';
import { collectRun, type SubjectContents } from './collectRun.ts';
import { renderListenPage } from './listenPage.ts';
import { placeAudio } from './placeAudio.ts';
import { stimulusAudio } from './stimulusAudio.ts';

/** The version of the listening page and its answer lines; recorded with every answer. */
export const LISTEN_PAGE_VERSION = 'listen/1';

/** What a listening session is drawn from. */
export interface ListeningSessionInput {
  runDir: string;
  kind: ListeningKind;
  nTrials: number;
  seed: number;
}

/** Every answer line in RUN/listening/*.jsonl (a torn last line left out with a warning), with the listener each file names. */
export function readListeningAnswers(runDir: string, reporter?: Reporter): ListeningAnswer[] {
  const dir = runPath(runDir, runLayout.listening);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().flatMap((f) => {
    const path = join(dir, f);
    const read = readJsonLines(path);
    if (read.torn) reporter?.warn(`${path}: line ${read.torn.line} is incomplete (a write cut short) and is left out; the ${read.values.length} lines before it are read.`);
    return read.values as ListeningAnswer[];
  });
}

/** The reconstruction each test clip of a subject has for this kind of test: absolute audio paths by clip id. */
function reconstructions(runDir: string, s: SubjectContents, kind: ListeningKind): Map<string, string> {
  const out = new Map<string, string>();
  if (kind === 'generated') {
    for (const [clip, samples] of s.generated ?? []) if (samples[0]) out.set(clip, samples[0].wav);
  } else {
    for (const item of s.retrieval?.items ?? []) {
      const top = item.retrieved[0];
      if (top) out.set(item.clipId, isAbsolute(top.audio) ? top.audio : runPath(runDir, top.audio));
    }
  }
  for (const [clip, p] of out) if (!existsSync(p)) out.delete(clip);
  return out;
}

/** An audio name that does not tell which clip it is (the page's URLs give nothing away). */
const opaqueName = (kind: string, path: string) => `audio/${createHash('sha256').update(`${kind}\n${path}`).digest('hex').slice(0, 16)}.wav`;

/**
 * Prepares a listening test in RUN/listening/: draws the trials (or reuses
 * trials-<kind>.json when it was drawn with the same seed and number of trials) and writes the
 * page (page/index.html, listen.js, listen.css) with every clip it plays in page/audio/. A trial
 * needs the subject's reconstruction of the clip (generated sample 0, or the top retrieved track)
 * and the original clip's audio as the embed stage recorded it.
 * @throws NOT_FOUND when the run has no reconstructions of this kind; BAD_INPUT when the existing
 * trials were drawn otherwise and already have answers
 */
export async function prepareListening(input: ListeningSessionInput, reporter?: Reporter): Promise<ListeningSession> {
  const { runDir, kind, nTrials, seed } = input;
  const contents = collectRun(runDir);
  const stimuli = stimulusAudio(runDir, contents.subjects.flatMap((s) => (s.decode ? [s.decode.metrics.target] : [])));
  const sources = new Map<string, { original: string; excerpt?: { start: number; end: number } } & { recon: Map<string, string> }>();
  const candidates: ListeningCandidate[] = [];
  for (const s of contents.subjects) {
    const recon = reconstructions(runDir, s, kind);
    const info = readRunJson<DecodePredictionsInfo>(runPath(runDir, `${runLayout.decodeDir(s.id)}/predictions.json`));
    const genres = new Map([...(s.retrieval?.items ?? []).map((i) => [i.clipId, i.genre] as const), ...(info?.clipIds ?? []).map((c, i) => [c, info!.genres[i]!] as const)]);
    for (const clip of [...recon.keys()].sort()) {
      const orig = stimuli.get(clip);
      if (!orig || !existsSync(orig.path)) continue;
      candidates.push({ subject: s.id, clip, genre: genres.get(clip) || genreOfClipId(clip) });
      sources.set(clip, { ...sources.get(clip), original: orig.path, ...(orig.start !== undefined && orig.end !== undefined ? { excerpt: { start: orig.start, end: orig.end } } : {}), recon: new Map([...(sources.get(clip)?.recon ?? []), [s.id, recon.get(clip)!]]) });
    }
  }
  const what = kind === 'generated' ? 'generated music (the generate stage)' : 'retrieved tracks (the retrieve stage)';
  if (candidates.length === 0) fail('NOT_FOUND', `${runDir} has no ${what} with the original clips' audio beside it; run that stage first, or pass --kind ${kind === 'generated' ? 'retrieved' : 'generated'}.`);

  const trialsPath = runPath(runDir, runLayout.listeningTrials(kind));
  const old = readRunJson<ListeningSession>(trialsPath);
  let session: ListeningSession;
  if (old && old.seed === seed && old.trials.length === nTrials) session = old;
  else {
    const answered = old ? readListeningAnswers(runDir, reporter).filter((a) => a.kind === kind).length : 0;
    if (old && answered > 0) {
      fail('BAD_INPUT', `${trialsPath} holds ${old.trials.length} trials drawn with seed ${old.seed}, and ${answered} answers refer to them; pass --trials ${old.trials.length} --seed ${old.seed} to continue that test, or move ${runPath(runDir, runLayout.listening)} away to start another.`);
    }
    const trials = drawListeningTrials(candidates, nTrials, createRng(deriveSeed(seed, hashString(`listen:${kind}`))));
    session = {
      format: 'brain2music-listening/1', kind, seed, pageVersion: LISTEN_PAGE_VERSION,
      trials: trials.map((t) => {
        const src = sources.get(t.clip)!;
        return { ...t, audio: { original: opaqueName(kind, src.original), clip: opaqueName(kind, src.recon.get(t.subject)!), foil: opaqueName(kind, sources.get(t.foil)!.recon.get(t.subject)!) } };
      }),
    };
    if (!trials.some((t) => t.foilGenreMatch)) reporter?.warn('no genre has two test clips with a reconstruction: every foil is of another genre.');
  }
  const pageDir = runPath(runDir, runLayout.listeningPage);
  const placed = new Set<string>();
  for (const t of session.trials) {
    const src = sources.get(t.clip);
    const foil = sources.get(t.foil);
    if (!src?.recon.get(t.subject) || !foil?.recon.get(t.subject)) fail('NOT_FOUND', `${trialsPath} names ${t.subject}'s reconstructions of ${t.clip} and ${t.foil}, which the run folder no longer holds; move ${runPath(runDir, runLayout.listening)} away to draw new trials.`);
    const files: [string, string, { start: number; end: number } | undefined][] = [
      [t.audio.original, src.original, src.excerpt], [t.audio.clip, src.recon.get(t.subject)!, undefined], [t.audio.foil, foil.recon.get(t.subject)!, undefined],
    ];
    for (const [name, path, excerpt] of files) {
      if (placed.has(name)) continue;
      await placeAudio(path, join(pageDir, name), excerpt);
      placed.add(name);
    }
  }
  mkdirSync(pageDir, { recursive: true });
  writeFileSync(join(pageDir, 'index.html'), renderListenPage(session));
  for (const f of ['listen.js', 'listen.css']) copyFileSync(join(REPORT_ASSETS, f), join(pageDir, f));
  if (session !== old) writeJsonAtomic(trialsPath, session);
  return session;
}
