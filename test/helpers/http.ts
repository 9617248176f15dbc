import { request } from 'node:http';

export interface HttpReply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Sends `path` to 127.0.0.1:`port` byte for byte (no client-side normalisation) and returns status, body and headers. */
export function httpRequest(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * Request paths that try to leave a served folder whose parent holds `secretFile`: `..` in
 * plain, encoded, double-encoded and overlong-UTF-8 forms, backslashes, absolute paths, drive
 * letters and NUL. A server must refuse every one with 403.
 */
export function traversalAttacks(secretFile: string): string[] {
  const name = secretFile.split('/').pop()!;
  return [
    `/../${name}`,
    `/report/../../${name}`,
    `/%2e%2e/${name}`,
    `/%2E%2E%2F${name}`,
    `/report/..%2f..%2f${name}`,
    `/..%5c${name}`,
    `/%252e%252e/${name}`,
    `/%252e%252e%252f${name}`,
    `/.%2e/${name}`,
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    `/${encodeURIComponent(secretFile)}`,
    '/C:%5cWindows',
    `/%c0%ae%c0%ae/${name}`,
    '/report/%00.html',
  ];
}
