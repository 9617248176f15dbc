import { createReadStream, realpathSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { fail } from '../errors.ts';

/** The only address `serveRun` binds to. */
export const LOOPBACK = '127.0.0.1';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.npy': 'application/octet-stream',
  '.gz': 'application/gzip',
};

/** A running server; `close()` stops it. */
export interface RunServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * Why a request path is refused, or the decoded path segments when it is acceptable. The path
 * is percent-decoded exactly once; anything that could name a place outside the folder after
 * that single decoding, or after a second one (double encoding), is refused rather than
 * normalised: `..` or `.` segments, empty segments (`//`), backslashes, NUL, drive letters, and
 * any `%` left after decoding.
 */
export function parseRequestPath(rawUrl: string): { segments: string[] } | { refuse: string } {
  const raw = rawUrl.split(/[?#]/, 1)[0]!;
  if (!raw.startsWith('/')) return { refuse: 'request target is not an absolute path' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { refuse: 'malformed percent-encoding' };
  }
  if (decoded.includes('%')) return { refuse: 'percent sign after decoding (double encoding)' };
  if (/[\\\0]/.test(decoded)) return { refuse: 'backslash or NUL in path' };
  const parts = decoded.slice(1).split('/');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // trailing slash
  const segments = parts.length === 1 && parts[0] === '' ? [] : parts;
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') return { refuse: `path segment '${s}' not allowed` };
    if (/^[A-Za-z]:/.test(s)) return { refuse: 'drive letter in path' };
  }
  return { segments };
}

function send(res: ServerResponse, status: number, text: string, head = false): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' });
  res.end(head ? undefined : text);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A JSON response (API answers). */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

/** Answers the requests under `/api/` (any method) of a folder server; the path is already checked by `parseRequestPath`. */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse, segments: string[]) => void | Promise<void>;

/** What a folder server serves besides the folder's files. */
export interface ServeFolderOptions {
  /** Where `/` redirects, e.g. `/report/index.html`. */
  home: string;
  /** Requests under `/api/` go here instead of the folder. */
  api?: ApiHandler;
}

function handle(root: string, req: IncomingMessage, res: ServerResponse, opts: ServeFolderOptions): void | Promise<void> {
  const head = req.method === 'HEAD';
  const parsed = parseRequestPath(req.url ?? '');
  if ('refuse' in parsed) return send(res, 403, `forbidden: ${parsed.refuse}\n`, head);
  if (opts.api && parsed.segments[0] === 'api') return opts.api(req, res, parsed.segments.slice(1));
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'read-only server: only GET and HEAD are allowed\n');
  }
  if (parsed.segments.length === 0) {
    res.writeHead(302, { Location: opts.home });
    return void res.end();
  }
  let real: string;
  try {
    real = realpathSync(join(root, ...parsed.segments));
  } catch {
    return send(res, 404, 'not found\n', head);
  }
  // Symbolic links are resolved first, so a link pointing out of the run folder is refused here.
  if (real !== root && !real.startsWith(root + sep)) return send(res, 403, 'forbidden: outside the run folder\n', head);
  const st = statSync(real);
  if (st.isDirectory()) {
    const index = join(real, 'index.html');
    try {
      if (statSync(index).isFile() && realpathSync(index).startsWith(root + sep)) return sendFile(index, req, res, head);
    } catch {
      // no index.html: list the folder
    }
    const base = '/' + parsed.segments.map(encodeURIComponent).join('/');
    const items = readdirSync(real)
      .sort()
      .map((n) => `<li><a href="${escapeHtml(`${base === '/' ? '' : base}/${encodeURIComponent(n)}`)}">${escapeHtml(n)}</a></li>`);
    const html = `<!doctype html><meta charset="utf-8"><title>${escapeHtml(base)}</title><ul>${items.join('')}</ul>\n`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
    return void res.end(head ? undefined : html);
  }
  if (!st.isFile()) return send(res, 403, 'forbidden: not a regular file\n', head);
  sendFile(real, req, res, head);
}

function sendFile(path: string, req: IncomingMessage, res: ServerResponse, head: boolean): void {
  const size = statSync(path).size;
  const headers: Record<string, string | number> = {
    'Content-Type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
  // Single byte ranges, so audio players can seek.
  const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  let start = 0;
  let end = size - 1;
  let status = 200;
  if (m && (m[1] || m[2])) {
    if (m[1]) {
      start = Number(m[1]);
      end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    } else {
      start = Math.max(0, size - Number(m[2]));
    }
    if (start > end || start >= size) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` });
      return void res.end();
    }
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  }
  headers['Content-Length'] = size === 0 ? 0 : end - start + 1;
  res.writeHead(status, headers);
  if (head || size === 0) return void res.end();
  createReadStream(path, { start, end }).pipe(res);
}

/**
 * Serves a run folder read-only on 127.0.0.1 (never another interface): `/` redirects to
 * `/report/index.html`, files are sent with their content type and byte-range support, folders
 * without an index are listed. Anything outside the folder is refused with 403, including
 * through symbolic links (see `parseRequestPath` for the request-path rules).
 *
 * @param runDir the run folder
 * @param port TCP port; 0 picks a free one
 * @throws NOT_FOUND when runDir is not a folder; BAD_INPUT when the port is taken
 */
export function serveRun(runDir: string, port: number): Promise<RunServer> {
  return serveFolder(runDir, port, { home: '/report/index.html' });
}

/**
 * Serves a folder as {@link serveRun} does (127.0.0.1 only, files read-only, nothing outside the
 * folder), with `/` redirecting to `opts.home` and, when `opts.api` is given, the requests under
 * `/api/` answered by it (the listening test's answers).
 * @throws NOT_FOUND when dir is not a folder; BAD_INPUT when the port is taken
 */
export async function serveFolder(dir: string, port: number, opts: ServeFolderOptions): Promise<RunServer> {
  let root: string;
  try {
    root = realpathSync(dir);
    if (!statSync(root).isDirectory()) throw new Error('not a folder');
  } catch {
    fail('NOT_FOUND', `run folder ${dir} does not exist; pass the folder given as "out" to brain2music run or demo.`);
  }
  const server = createServer((req, res) => {
    const failed = () => {
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    };
    try {
      void Promise.resolve(handle(root, req, res, opts)).catch(failed);
    } catch {
      failed();
    }
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new Error(`port ${port} on ${LOOPBACK} is already in use; pass another one with --port.`));
      else reject(err);
    });
    server.listen(port, LOOPBACK, () => resolvePromise());
  }).catch((err: Error) => fail('BAD_INPUT', err.message));
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${LOOPBACK}:${actual}/`,
    port: actual,
    server,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
