import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpResult {
  status: number;
  body: any;
  /** The HTTP call only: request written → whole response body read. */
  ms: number;
}

export interface HttpClient {
  request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  close(): void;
}

/** A keep-alive client bound to one loopback origin; each call is bounded by `timeoutMs` and `signal`. */
export function createHttpClient(opts: { port: number; sockets: number; timeoutMs: number; signal: AbortSignal }): HttpClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.sockets, maxFreeSockets: opts.sockets });
  return {
    request(method, path, body, headers = {}) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const h: Record<string, string | number> = { accept: 'application/json', ...headers };
      if (payload !== undefined) {
        h['content-type'] = 'application/json';
        h['content-length'] = Buffer.byteLength(payload);
      }
      return new Promise<HttpResult>((resolve, reject) => {
        const t0 = performance.now();
        const req = http.request(
          { host: '127.0.0.1', port: opts.port, method, path, headers: h, agent, signal: opts.signal, timeout: opts.timeoutMs },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const ms = performance.now() - t0;
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: any = text;
              if (String(res.headers['content-type'] ?? '').includes('json') && text.length > 0) {
                try {
                  parsed = JSON.parse(text);
                } catch {
                  parsed = text;
                }
              }
              resolve({ status: res.statusCode ?? 0, body: parsed, ms });
            });
          },
        );
        req.on('timeout', () => req.destroy(Object.assign(new Error(`${method} ${path} timed out after ${opts.timeoutMs} ms`), { code: 'BENCH_TIMEOUT' })));
        req.on('error', reject);
        req.end(payload);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
