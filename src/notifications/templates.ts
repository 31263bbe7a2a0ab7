import { resolveLocale, SUPPORTED_LOCALES, textDirection, translate, type MessageArgs } from '../i18n/index.js';
import { boundedMemo } from '../kernel/bounded-memo.js';

/**
 * Email templates. Each is a subject plus blocks (paragraph, code, link) whose
 * texts are ICU messages in the i18n catalogues (`email.<template>.<part>`);
 * the structure lives here once for every locale. Rendered once to plain text
 * and once to escaped HTML, so the two bodies cannot drift apart. A missing var
 * throws rather than sending a mail with a hole in it.
 */
export type EmailTemplate =
  | 'verification-code' | 'step-up-code' | 'account-exists' | 'welcome' | 'sign-in-link' | 'trial-ending' | 'trial-ending-no-card' | 'payment-failed' | 'subscription-ended' | 'marketing-news';

type Block =
  | { p: string; optional?: readonly string[] }
  // One paragraph of several, picked by a var's value (part `<p>_<value>`): a fixed choice stays a whole sentence
  // per locale, where an ICU select would make the catalogue check unable to tell a value that is never shown.
  | { p: string; by: string; values: readonly string[] }
  | { code: string }
  | { link: string; label: string };
interface Template {
  prefix: string;
  vars: readonly string[];
  blocks: readonly Block[];
}

const TEMPLATES: Record<EmailTemplate, Template> = {
  'verification-code': {
    prefix: 'email.verification',
    vars: ['code', 'minutes'],
    blocks: [{ p: 'intro' }, { code: 'code' }, { p: 'expiry' }],
  },
  // The dashboard's step-up by email: a customer with no stronger factor confirms a sensitive change.
  'step-up-code': {
    prefix: 'email.step_up',
    vars: ['code', 'minutes'],
    blocks: [{ p: 'intro' }, { code: 'code' }, { p: 'expiry' }],
  },
  'account-exists': {
    prefix: 'email.account_exists',
    vars: ['sign_in_url'],
    blocks: [{ p: 'attempt' }, { p: 'sign_in_prompt' }, { link: 'sign_in_url', label: 'sign_in_label' }, { p: 'ignore' }],
  },
  welcome: {
    prefix: 'email.welcome',
    vars: ['given_name', 'tenant_id', 'plan_name', 'dashboard_url'],
    // The payment line appears when the sender knows the next charge (amount formatted with Intl, due_date a Date).
    blocks: [{ p: 'greeting' }, { p: 'ready' }, { p: 'next_payment', optional: ['amount', 'due_date'] }, { link: 'dashboard_url', label: 'dashboard_label' }, { p: 'link_personal' }],
  },
  // Asked for on the sign-in page: the link, how long it works, and what to do if it was not you.
  'sign-in-link': {
    prefix: 'email.sign_in_link',
    vars: ['given_name', 'dashboard_url', 'minutes'],
    blocks: [{ p: 'greeting' }, { p: 'intro' }, { link: 'dashboard_url', label: 'sign_in_label' }, { p: 'expiry' }, { p: 'ignore' }],
  },
  'trial-ending': {
    prefix: 'email.trial_ending',
    vars: ['given_name', 'plan_name', 'amount'],
    // due_date is a Date for ICU's date format; "optional" is how a non-string value reaches the message.
    blocks: [{ p: 'greeting' }, { p: 'ending', optional: ['due_date'] }, { p: 'change' }],
  },
  // The same reminder for a trial with no card on file: nothing will be charged; add one, or this is what happens.
  'trial-ending-no-card': {
    prefix: 'email.trial_ending_no_card',
    vars: ['given_name', 'plan_name', 'amount', 'dashboard_url'],
    blocks: [
      { p: 'greeting' }, { p: 'ending', optional: ['due_date'] }, { p: 'add_card' }, { link: 'dashboard_url', label: 'dashboard_label' },
      { p: 'otherwise', by: 'end_behaviour', values: ['past_due', 'paused', 'canceled'] },
    ],
  },
  'payment-failed': {
    prefix: 'email.payment_failed',
    vars: ['given_name', 'plan_name', 'amount'],
    blocks: [{ p: 'greeting' }, { p: 'failed' }, { p: 'retry', optional: ['retry_date'] }, { p: 'update' }],
  },
  'subscription-ended': {
    prefix: 'email.subscription_ended',
    vars: ['given_name', 'plan_name'],
    blocks: [{ p: 'greeting' }, { p: 'ended' }, { p: 'return' }],
  },
  // Sent only to customers whose current marketing_email consent is given; every one says how to withdraw.
  'marketing-news': {
    prefix: 'email.marketing_news',
    vars: ['given_name', 'preferences_url'],
    blocks: [{ p: 'greeting' }, { p: 'news' }, { p: 'why' }, { link: 'preferences_url', label: 'withdraw_label' }],
  },
};

export const EMAIL_LOCALES: readonly string[] = SUPPORTED_LOCALES;

/** The catalogue an email is written in: de-DE → de, pt-PT → pt-BR, anything unknown → en. */
export function resolveEmailLocale(locale: string): string {
  return resolveLocale(locale);
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/** Render a template in the best available locale; vars are escaped in HTML; Arabic gets dir="rtl". */
export function renderEmail(
  template: EmailTemplate,
  locale: string,
  vars: Record<string, string | number | Date>,
): { subject: string; text: string; html: string } {
  const t = TEMPLATES[template];
  if (!t) throw new Error(`unknown email template ${template}`);
  const lang = resolveLocale(locale);
  const values: MessageArgs = {};
  for (const name of t.vars) {
    const v = vars[name];
    if (!present(v)) throw new Error(`email template ${template} needs var ${name}`);
    values[name] = name === 'minutes' ? formatMinutes(lang, Number(v)) : String(v);
  }
  for (const b of t.blocks) for (const name of 'optional' in b ? b.optional ?? [] : []) if (present(vars[name])) values[name] = vars[name];
  const msg = (part: string) => translate(`${t.prefix}.${part}`, lang, values);
  const part = (b: Block & { p: string }) => {
    if (!('by' in b)) return b.p;
    const v = String(vars[b.by]);
    if (!b.values.includes(v)) throw new Error(`email template ${template} needs var ${b.by}, one of ${b.values.join(', ')}`);
    return `${b.p}_${v}`;
  };
  const blocks = t.blocks.filter((b) => !('optional' in b && b.optional?.some((name) => !present(vars[name]))));

  // A header must stay one line, whatever a var holds.
  const subject = msg('subject').replace(/[\r\n\t]+/g, ' ').trim();

  const text = blocks
    .map((b) => ('p' in b ? msg(part(b)) : 'code' in b ? String(values[b.code]) : `${msg(b.label)}: ${values[b.link]}`))
    .join('\n\n') + '\n';

  const body = blocks
    .map((b) => {
      if ('p' in b) return `<p>${escapeHtml(msg(part(b)))}</p>`;
      if ('code' in b) return `<p style="font-size:28px;font-weight:bold;letter-spacing:6px;font-family:monospace" dir="ltr">${escapeHtml(String(values[b.code]))}</p>`;
      const href = String(values[b.link]);
      // Only web links become anchors: a `javascript:` var renders as inert text.
      return /^https?:\/\//i.test(href)
        ? `<p><a href="${escapeHtml(href)}">${escapeHtml(msg(b.label))}</a></p>`
        : `<p>${escapeHtml(msg(b.label))}: ${escapeHtml(href)}</p>`;
    })
    .join('\n');
  const dir = textDirection(lang) === 'rtl' ? ' dir="rtl"' : '';
  const html = `<!doctype html>\n<html lang="${lang}"${dir}><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family:sans-serif;line-height:1.5">\n${body}\n</body></html>\n`;
  return { subject, text, html };
}

// Building an Intl.NumberFormat costs far more than using one; `lang` is a catalogue locale (seven of them).
const minuteFormat = boundedMemo((lang: string) => new Intl.NumberFormat(lang, { style: 'unit', unit: 'minute', unitDisplay: 'long' }), { max: 16 });

function formatMinutes(lang: string, n: number): string {
  if (!Number.isFinite(n)) throw new Error('minutes must be a number');
  return minuteFormat(lang).format(n);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
