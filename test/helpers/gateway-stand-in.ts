import type { FastifyInstance } from 'fastify';

/**
 * TEST HARNESS ONLY, until the gateway-hosted branch lands: a minimal hosted card-fields page speaking the
 * contract's postMessage protocol (ready / resize / token / error; submit from the parent, origin checked both
 * ways), tokenizing at the sandbox's own token endpoint. It is served on the app's origin, so the app's CSP
 * frame-src (the gateway origin defaults to PUBLIC_URL's) admits it. The real page replaces it.
 */
export function addGatewayStandIn(app: FastifyInstance) {
  if (app.hasRoute({ method: 'GET', url: '/sandbox-gateway/hosted/card-fields' })) return;
  app.get('/sandbox-gateway/hosted/card-fields', async (req, reply) => {
    const parent = String((req.query as Record<string, string>).parent_origin ?? '');
    return reply.type('text/html').send(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Card</title>
<style>body{font:16px system-ui;margin:0;padding:8px}label{display:block;font-weight:600;margin:6px 0 2px}input{width:100%;padding:8px;border:1px solid #767676;border-radius:6px;box-sizing:border-box}.r{display:flex;gap:8px}.r>div{flex:1}</style>
<label for="number">Card number</label><input id="number" autocomplete="cc-number" inputmode="numeric">
<div class="r"><div><label for="exp">Expiry (MM/YY)</label><input id="exp" autocomplete="cc-exp"></div><div><label for="cvc">CVC</label><input id="cvc" autocomplete="cc-csc" inputmode="numeric"></div></div>
<script>
const parent = ${JSON.stringify(parent)};
const post = (m) => window.parent.postMessage(m, parent);
addEventListener('message', async (ev) => {
  if (ev.origin !== parent || !ev.data || ev.data.type !== 'enroll-gateway:submit') return;
  const [mm, yy] = document.getElementById('exp').value.split('/').map((s) => parseInt(s, 10));
  const res = await fetch('/sandbox-gateway/v1/tokens', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ number: document.getElementById('number').value.replace(/\\s/g, ''), exp_month: mm, exp_year: 2000 + yy, cvc: document.getElementById('cvc').value }) });
  const body = await res.json();
  if (res.status === 201) post({ type: 'enroll-gateway:token', token: body.id, card: { brand: body.card?.brand, last4: body.card?.last4, exp_month: mm, exp_year: 2000 + yy } });
  else post({ type: 'enroll-gateway:error', code: body.code || 'card_invalid' });
});
post({ type: 'enroll-gateway:ready' });
post({ type: 'enroll-gateway:resize', height: document.body.scrollHeight + 16 });
</script></html>`);
  });
}
