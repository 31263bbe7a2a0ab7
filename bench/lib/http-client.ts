import { performance } from 'node:perf_hooks';
import { Pool, errors } from 'undici';

export interface HttpResult {
  status: number;
  body: any;
  /** The HTTP call only: request written → whole response body read. */
  ms: number;
}

export interface HttpClient {
  request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  /** Ends the pool's connections; resolves when they are closed. */
  close(): Promise<void>;
}

/**
 * A keep-alive client bound to one loopback origin; each call is bounded by `timeoutMs` and `signal`.
 * undici rather than node:http: the load generator shares the machine's cores with the service and
 * PostgreSQL, so every microsecond it spends per request is taken from what it measures.
 */
export function createHttpClient(opts: { port: number; sockets: number; timeoutMs: number; signal: AbortSignal }): HttpClient {
  const pool = new Pool(`http://127.0.0.1:${opts.port}`, {
    connections: opts.sockets,
    connectTimeout: opts.timeoutMs,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });
  const timedOut = (err: unknown) =>
    err instanceof errors.ConnectTimeoutError || err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError;
  return {
    async request(method, path, body, headers = {}) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const h: Record<string, string> = { accept: 'application/json', ...headers };
      if (payload !== undefined) h['content-type'] = 'application/json';
      const t0 = performance.now();
      try {
        const res = await pool.request({ method, path, headers: h, body: payload, signal: opts.signal });
        const text = await res.body.text();
        const ms = performance.now() - t0;
        let parsed: any = text;
        if (String(res.headers['content-type'] ?? '').includes('json') && text.length > 0) {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
        }
        return { status: res.statusCode, body: parsed, ms };
      } catch (err) {
        if (timedOut(err)) {
          throw Object.assign(new Error(`${method} ${path} timed out after ${opts.timeoutMs} ms`), { code: 'BENCH_TIMEOUT' });
        }
        throw err;
      }
    },
    close() {
      return pool.destroy();
    },
  };
}
