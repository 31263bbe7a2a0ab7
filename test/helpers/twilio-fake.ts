import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  authorization: string | undefined;
  contentType: string | undefined;
}

/**
 * A loopback server that speaks Twilio's Messages API wire format: Basic auth,
 * a form-encoded body, 201 with a message resource, and Twilio's error JSON
 * (21211 invalid 'To', 21602 no body, 20003 bad credentials, 20404 unknown route or message).
 * `refuse` maps a number to the error code Twilio answers for it (21610 STOP, 21408 region, 30001 …), with HTTP 400.
 * DELETE …/Messages/{sid}.json removes a message from `messages` (204); a sid in `inFlight` is refused with
 * 20009 (Twilio will not delete a message still being delivered; the 409 is this fake's choice, Twilio documents only the code).
 */
export async function startTwilioFake(opts: { accountSid: string; authToken: string; refuse?: Record<string, number> }) {
  const messages: FakeSms[] = [];
  const inFlight = new Set<string>();
  /** The sids of every DELETE that removed a message, in order. */
  const deleted: string[] = [];
  const error = (res: ServerResponse, status: number, code: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(status === 401 ? { 'www-authenticate': 'Basic realm="Twilio API"' } : {}) });
    res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    const expected = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return error(res, 401, 20003, 'Authentication Error - invalid username');
    const one = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/.exec(req.url ?? '');
    if (req.method === 'DELETE' && one && decodeURIComponent(one[1]) === opts.accountSid) {
      const sid = decodeURIComponent(one[2]);
      const at = messages.findIndex((x) => x.sid === sid);
      if (at < 0) return error(res, 404, 20404, `The requested resource ${req.url} was not found`);
      if (inFlight.has(sid)) return error(res, 409, 20009, 'Cannot delete this resource before it is complete');
      messages.splice(at, 1);
      deleted.push(sid);
      res.writeHead(204);
      return res.end();
    }
    if (req.method !== 'POST' || !m || decodeURIComponent(m[1]) !== opts.accountSid) return error(res, 404, 20404, 'The requested resource was not found');
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? '';
    const body = form.get('Body') ?? '';
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return error(res, 400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (!body) return error(res, 400, 21602, 'Message body is required.');
    const refusal = opts.refuse?.[to];
    if (refusal) return error(res, 400, refusal, `Message to ${to} refused`);
    const sid = `SM${randomBytes(16).toString('hex')}`;
    messages.push({ sid, to, from, body, authorization: req.headers.authorization, contentType: req.headers['content-type'] });
    const now = new Date().toUTCString().replace('GMT', '+0000');
    const uri = `/2010-04-01/Accounts/${opts.accountSid}/Messages/${sid}.json`;
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      account_sid: opts.accountSid, api_version: '2010-04-01', body, date_created: now, date_sent: null, date_updated: now,
      direction: 'outbound-api', error_code: null, error_message: null, from, messaging_service_sid: null, num_media: '0',
      num_segments: '1', price: null, price_unit: 'USD', sid, status: 'queued', subresource_uris: { media: uri.replace('.json', '/Media.json') }, to, uri,
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    messages,
    inFlight,
    deleted,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
