import { randomBytes } from 'node:crypto';
import { textDirection, type SupportedLocale } from '../i18n/index.js';
import { formatMoney } from '../kernel/money.js';
import { HOSTED_LABELS } from './hosted-labels.js';
import type { ChallengeRow } from './repository.js';

/**
 * The gateway's hosted pages: plain HTML, one small inline script and style
 * each, allowed by a per-response nonce, no dependency. They talk to their
 * parent only by postMessage to the one parent origin the gateway checked
 * against its allow-list, and accept messages only from it.
 */
export interface HostedPage {
  html: string;
  csp: string;
}

const STYLE = `body{font:16px/1.4 system-ui,sans-serif;margin:0;padding:4px;color:#1a1a1a}label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input{box-sizing:border-box;width:100%;font:inherit;padding:.5rem;border:1px solid #6b6b6b;border-radius:4px}input[aria-invalid=true]{border-color:#b00020}
input:focus,button:focus{outline:3px solid #1a56db;outline-offset:1px}.row{display:flex;gap:.75rem}.row>div{flex:1}.err{color:#b00020;margin:.25rem 0 0;font-size:.9rem}
button{font:inherit;padding:.5rem 1rem;margin:.75rem .5rem 0 0;border-radius:4px;border:1px solid #1a56db;background:#1a56db;color:#fff}button.secondary{background:#fff;color:#1a56db}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}`;

/** JSON for an inline script: `<` escaped, so no value can close the script element. */
const js = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function csp(nonce: string, parentOrigin: string): string {
  return [
    "default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src 'nonce-${nonce}'`, "connect-src 'self'",
    "form-action 'none'", "object-src 'none'", "base-uri 'none'", `frame-ancestors ${parentOrigin}`,
  ].join('; ');
}

function page(locale: SupportedLocale, title: string, nonce: string, body: string, script: string): string {
  return `<!doctype html><html lang="${locale}" dir="${textDirection(locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style nonce="${nonce}">${STYLE}</style></head><body>${body}
<script nonce="${nonce}">${script}</script></body></html>`;
}

// Shared by both pages: the only channel to the parent, and a height report so the parent can size the frame.
const MESSAGING = `const send=(m)=>parent.postMessage(m,P);const resize=()=>send({type:'enroll-gateway:resize',height:document.documentElement.scrollHeight});`;

/** Number, expiry and CVC; tokenized on this origin when the parent says submit (or on Enter). */
export function cardFieldsPage(parentOrigin: string, locale: SupportedLocale): HostedPage {
  const t = HOSTED_LABELS[locale];
  const nonce = randomBytes(16).toString('base64');
  const field = (id: string, label: string, autocomplete: string) =>
    `<div><label for="${id}">${esc(label)}</label><input id="${id}" autocomplete="${autocomplete}" inputmode="numeric" aria-describedby="${id}-error" aria-invalid="false" required><p id="${id}-error" class="err" hidden></p></div>`;
  const body = `<form id="f" novalidate aria-label="${esc(t.title)}">${field('number', t.number, 'cc-number')}<div class="row">${field('exp', t.expiry, 'cc-exp')}${field('cvc', t.cvc, 'cc-csc')}</div>
<button type="submit" class="sr" tabindex="-1">${esc(t.submit)}</button></form>`;
  const script = `(()=>{const P=${js(parentOrigin)},T=${js({ number: t.number_invalid, exp: t.exp_invalid, cvc: t.cvc_invalid })};${MESSAGING}
const $=(id)=>document.getElementById(id);let busy=false;
const show=(fields)=>{for(const k of ['number','exp','cvc']){const bad=!!(fields&&fields[k]);$(k).setAttribute('aria-invalid',String(bad));const e=$(k+'-error');e.hidden=!bad;e.textContent=bad?T[k]:'';}resize();};
async function tokenize(){if(busy)return;busy=true;try{
const m=/^\\s*(\\d{1,2})\\s*\\/?\\s*(\\d{2}|\\d{4})\\s*$/.exec($('exp').value);
const body={number:$('number').value,exp_month:m?Number(m[1]):0,exp_year:m?Number(m[2]):0,cvc:$('cvc').value.trim()};
const res=await fetch('/sandbox-gateway/v1/tokens',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body)});const out=await res.json();
if(res.status===201){show(null);$('f').reset();send({type:'enroll-gateway:token',token:out.id,card:out.card});return;}
const f=out.fields||{},fields={};if(f.number)fields.number=f.number;if(f.exp_month||f.exp_year)fields.exp=[...(f.exp_month||[]),...(f.exp_year||[])];if(f.cvc)fields.cvc=f.cvc;
show(fields);send({type:'enroll-gateway:error',code:out.code||'payment_gateway_unavailable',fields});
}catch{send({type:'enroll-gateway:error',code:'payment_gateway_unavailable'});}finally{busy=false;}}
addEventListener('message',(e)=>{if(e.origin!==P||e.source!==parent)return;if(e.data&&e.data.type==='enroll-gateway:submit')tokenize();});
$('f').addEventListener('submit',(e)=>{e.preventDefault();tokenize();});send({type:'enroll-gateway:ready'});resize();})();`;
  return { html: page(locale, t.title, nonce, body, script), csp: csp(nonce, parentOrigin) };
}

/**
 * The sandbox's stand-in for the issuer's 3-D Secure page: Approve or Fail, answered once, before its deadline.
 * Expired (on opening, or when an answer comes too late), it says so and tells the parent the challenge is over
 * (outcome 'expired'), so the parent asks its server again and shows that answer instead of a dead dialog.
 */
export function challengePage(challenge: ChallengeRow, parentOrigin: string, locale: SupportedLocale): HostedPage {
  const t = HOSTED_LABELS[locale];
  const nonce = randomBytes(16).toString('base64');
  const answered = challenge.status === 'pending' ? null : challenge.status;
  const body = `<main><h1>${esc(t.challenge_title)}</h1><p>${esc(t.challenge_text)} <strong>${esc(formatMoney(challenge.amount, challenge.currency, locale))}</strong></p>
<button id="ok" type="button">${esc(t.approve)}</button><button id="no" type="button" class="secondary">${esc(t.fail)}</button><p id="status" role="status"></p></main>`;
  const script = `(()=>{const P=${js(parentOrigin)},ID=${js(challenge.id)},DONE=${js(t.answered)},EXPIRED=${js(t.expired)},ANSWERED=${js(answered)};${MESSAGING}
const $=(id)=>document.getElementById(id);
const finish=(outcome)=>{$('ok').disabled=$('no').disabled=true;$('status').textContent=outcome==='expired'?EXPIRED:DONE;document.body.dataset.outcome=outcome;resize();send({type:'enroll-gateway:challenge-complete',challenge_id:ID,outcome});};
async function answer(outcome){$('ok').disabled=$('no').disabled=true;try{
const res=await fetch('/sandbox-gateway/v1/challenges/'+encodeURIComponent(ID),{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({outcome})});
if(res.ok){finish((await res.json()).status);return;}const out=await res.json();
if(out.reason==='expired'){finish('expired');return;}send({type:'enroll-gateway:error',code:out.code});
}catch{send({type:'enroll-gateway:error',code:'payment_gateway_unavailable'});$('ok').disabled=$('no').disabled=false;}}
$('ok').addEventListener('click',()=>answer('succeeded'));$('no').addEventListener('click',()=>answer('failed'));
send({type:'enroll-gateway:ready'});resize();if(ANSWERED)finish(ANSWERED);})();`;
  return { html: page(locale, t.challenge_title, nonce, body, script), csp: csp(nonce, parentOrigin) };
}
