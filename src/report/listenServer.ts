import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenerPlan, type PlannedTrial } from '../evaluate/index.ts';
import { appendJsonLine, dropTornLine, readJsonLines } from '../io/index.ts';
import type { Reporter } from '../progress.ts';
import { runLayout, runPath, type ListeningAnswer, type ListeningSession } from '../run/index.ts';
import { sendJson, serveFolder, type RunServer } from './serveRun.ts';

/** A listener's name or code: it names their answer file, so nothing that could leave the folder. */
export const LISTENER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Largest request body accepted, bytes. */
const MAX_BODY = 4096;

/** What the page posts for one trial. */
interface AnswerPost {
  listener: string;
  trial: string;
  choice: 'left' | 'right';
  responseMs: number;
  input: 'mouse' | 'keyboard';
  plays: { original: number; left: number; right: number };
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 1e6;

/**
 * Checks a posted answer's shape: exactly the keys of {@link AnswerPost}, each of its type and in
 * range (a response time from 0 to 24 h, play counts from 0). Returns why it is refused, or the answer.
 */
export function checkAnswerPost(body: unknown): { answer: AnswerPost } | { refuse: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { refuse: 'the answer must be a JSON object' };
  const b = body as Record<string, unknown>;
  const keys = ['choice', 'input', 'listener', 'plays', 'responseMs', 'trial'];
  const extra = Object.keys(b).filter((k) => !keys.includes(k));
  if (extra.length) return { refuse: `unknown field(s) ${extra.join(', ')}` };
  const missing = keys.filter((k) => !(k in b));
  if (missing.length) return { refuse: `missing field(s) ${missing.join(', ')}` };
  if (typeof b.listener !== 'string' || !LISTENER_NAME.test(b.listener)) return { refuse: 'listener must be a name or code of letters, digits, _ . -' };
  if (typeof b.trial !== 'string') return { refuse: 'trial must be a trial id' };
  if (b.choice !== 'left' && b.choice !== 'right') return { refuse: "choice must be 'left' or 'right'" };
  if (b.input !== 'mouse' && b.input !== 'keyboard') return { refuse: "input must be 'mouse' or 'keyboard'" };
  if (typeof b.responseMs !== 'number' || !Number.isFinite(b.responseMs) || b.responseMs < 0 || b.responseMs > 86_400_000) return { refuse: 'responseMs must be milliseconds from 0 to 86400000' };
  const p = b.plays as Record<string, unknown> | null;
  if (typeof p !== 'object' || p === null || Object.keys(p).sort().join() !== 'left,original,right' || !isCount(p.original) || !isCount(p.left) || !isCount(p.right)) {
    return { refuse: 'plays must be { original, left, right } counts' };
  }
  return { answer: b as unknown as AnswerPost };
}

class Refused extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The request body as JSON, refused when too large (413), not declared as JSON (415) or not JSON (400). */
async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new Refused(415, 'send the answer as Content-Type: application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new Refused(413, `request body larger than ${MAX_BODY} bytes`);
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Refused(400, 'request body is not valid JSON');
  }
}

/** One listener known to this server: their plan and the trials they have answered. */
interface ListenerState {
  plan: Map<string, PlannedTrial>;
  answered: Set<string>;
}

/**
 * Serves a listening test on 127.0.0.1: the page folder (RUN/listening/page/, read-only, nothing
 * outside it: not the trials, not the answers) and its API:
 *
 * - `POST /api/start {listener}` makes the listener known and returns their trials in their
 *   order, with the audio of each side, and the trials already answered (from their answer file,
 *   whose torn last line, if any, is cut off with a warning);
 * - `POST /api/answer {listener, trial, choice, responseMs, input, plays}` checks the answer
 *   (a known listener, a known trial, well-formed, not answered before) and appends it, with the
 *   trial, its sides, correctness, seed and page version, to RUN/listening/<listener>.jsonl
 *   (fsync'ed before the reply). Refusals: 400 malformed, 403 unknown listener, 404 unknown trial,
 *   409 answered twice, 413 too large, 415 not JSON, 405 another method; 403 too for a request
 *   naming another host than 127.0.0.1 or localhost (DNS rebinding).
 */
export async function serveListening(runDir: string, session: ListeningSession, port: number, reporter?: Reporter): Promise<RunServer> {
  const byId = new Map(session.trials.map((t) => [t.trial, t]));
  const listeners = new Map<string, ListenerState>();
  const answersPath = (listener: string) => runPath(runDir, runLayout.listeningAnswers(listener));

  function startListener(listener: string) {
    const path = answersPath(listener);
    const read = readJsonLines(path);
    if (read.torn) {
      reporter?.warn(`${path}: line ${read.torn.line} is incomplete (a write cut short) and is cut off; the ${read.values.length} lines before it are kept.`);
      dropTornLine(path, read.validBytes);
    }
    const answered = new Set((read.values as ListeningAnswer[]).filter((a) => a.kind === session.kind && byId.has(a.trial)).map((a) => a.trial));
    const plan = listenerPlan(session.trials.map((t) => t.trial), session.seed, listener);
    listeners.set(listener, { plan: new Map(plan.map((p) => [p.trial, p])), answered });
    return {
      listener, kind: session.kind, seed: session.seed, pageVersion: session.pageVersion, answered: [...answered],
      trials: plan.map((p) => {
        const a = byId.get(p.trial)!.audio;
        return { trial: p.trial, position: p.position, original: a.original, left: p.clipOnLeft ? a.clip : a.foil, right: p.clipOnLeft ? a.foil : a.clip };
      }),
    };
  }

  function record(post: AnswerPost) {
    const who = listeners.get(post.listener);
    if (!who) throw new Refused(403, `unknown listener '${post.listener}': start the session first (POST /api/start)`);
    const t = byId.get(post.trial);
    const planned = who.plan.get(post.trial);
    if (!t || !planned) throw new Refused(404, `unknown trial '${post.trial}'`);
    if (who.answered.has(t.trial)) throw new Refused(409, `trial ${t.trial} is already answered by ${post.listener}`);
    const sides = planned.clipOnLeft ? { left: t.clip, right: t.foil } : { left: t.foil, right: t.clip };
    const chosen = sides[post.choice];
    const { audio: _audio, ...trial } = t;
    const answer: ListeningAnswer = {
      ...trial, listener: post.listener, kind: session.kind, seed: session.seed, pageVersion: session.pageVersion, position: planned.position,
      sides, choice: post.choice, chosen, correct: chosen === t.clip, responseMs: Math.round(post.responseMs), input: post.input, plays: post.plays, answeredAt: new Date().toISOString(),
    };
    appendJsonLine(answersPath(post.listener), answer);
    who.answered.add(t.trial);
    return { recorded: who.answered.size, remaining: session.trials.length - who.answered.size };
  }

  async function api(req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> {
    try {
      // a page of another site reached through DNS rebinding names its own host: answers come from this page only
      if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(req.headers.host ?? '')) throw new Refused(403, 'answers are taken only from the page at 127.0.0.1');
      const route = segments.join('/');
      if (route !== 'start' && route !== 'answer') throw new Refused(404, `no such API: /api/${route}`);
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        throw new Refused(405, `/api/${route} takes POST only`);
      }
      const body = await readJsonBody(req);
      if (route === 'start') {
        const listener = (body as { listener?: unknown } | null)?.listener;
        if (typeof listener !== 'string' || !LISTENER_NAME.test(listener)) throw new Refused(400, 'give a name or code of letters, digits, _ . - (at most 64, starting with a letter or digit)');
        return sendJson(res, 200, startListener(listener));
      }
      const checked = checkAnswerPost(body);
      if ('refuse' in checked) throw new Refused(400, checked.refuse);
      sendJson(res, 201, record(checked.answer));
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      sendJson(res, err.status, { error: err.message });
    }
  }

  return serveFolder(runPath(runDir, runLayout.listeningPage), port, { home: '/index.html', api });
}
