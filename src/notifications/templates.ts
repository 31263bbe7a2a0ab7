/**
 * Localized email templates. Each is a subject plus blocks (paragraph, code,
 * link), rendered once to plain text and once to escaped HTML, so the two
 * bodies cannot drift apart. Placeholders are `{name}`; a missing var throws
 * rather than sending a mail with a hole in it.
 */
export type EmailTemplate = 'verification-code' | 'account-exists' | 'welcome';

type Block = { p: string } | { code: string } | { link: string; label: string };
interface Template {
  subject: string;
  blocks: Block[];
}

const VARS: Record<EmailTemplate, readonly string[]> = {
  'verification-code': ['code', 'minutes'],
  'account-exists': ['sign_in_url'],
  welcome: ['given_name', 'tenant_id', 'plan_name', 'dashboard_url'],
};

const CATALOG: Record<string, Record<EmailTemplate, Template>> = {
  en: {
    'verification-code': {
      subject: 'Your Enroll verification code',
      blocks: [
        { p: 'Enter this code to confirm your email address:' },
        { code: '{code}' },
        { p: 'The code expires in {minutes}. If you did not start a sign-up, ignore this email: nothing happens without the code.' },
      ],
    },
    'account-exists': {
      subject: 'Someone tried to sign up with your email address',
      blocks: [
        { p: 'Someone, perhaps you, just tried to create an Enroll account with this email address. You already have an account, so no new one was created and nothing was changed.' },
        { p: 'To use your existing account, sign in:' },
        { link: '{sign_in_url}', label: 'Sign in to Enroll' },
        { p: 'If this was not you, you can ignore this email.' },
      ],
    },
    welcome: {
      subject: 'Welcome to Enroll, {given_name}',
      blocks: [
        { p: 'Hello {given_name},' },
        { p: 'your {plan_name} subscription is set up and your workspace {tenant_id} is ready.' },
        { link: '{dashboard_url}', label: 'Open your dashboard' },
        { p: 'This link is personal and expires: please do not forward it.' },
      ],
    },
  },
  de: {
    'verification-code': {
      subject: 'Ihr Bestätigungscode für Enroll',
      blocks: [
        { p: 'Geben Sie diesen Code ein, um Ihre E-Mail-Adresse zu bestätigen:' },
        { code: '{code}' },
        { p: 'Der Code läuft in {minutes} ab. Wenn Sie keine Registrierung begonnen haben, ignorieren Sie diese E-Mail: Ohne den Code geschieht nichts.' },
      ],
    },
    'account-exists': {
      subject: 'Jemand wollte sich mit Ihrer E-Mail-Adresse registrieren',
      blocks: [
        { p: 'Jemand, vielleicht Sie selbst, hat gerade versucht, mit dieser E-Mail-Adresse ein Enroll-Konto anzulegen. Sie haben bereits ein Konto; es wurde kein neues angelegt und nichts geändert.' },
        { p: 'Melden Sie sich mit Ihrem bestehenden Konto an:' },
        { link: '{sign_in_url}', label: 'Bei Enroll anmelden' },
        { p: 'Wenn Sie das nicht waren, können Sie diese E-Mail ignorieren.' },
      ],
    },
    welcome: {
      subject: 'Willkommen bei Enroll, {given_name}',
      blocks: [
        { p: 'Hallo {given_name},' },
        { p: 'Ihr Abonnement {plan_name} ist eingerichtet und Ihr Arbeitsbereich {tenant_id} ist bereit.' },
        { link: '{dashboard_url}', label: 'Zum Dashboard' },
        { p: 'Dieser Link ist persönlich und läuft ab: Bitte leiten Sie ihn nicht weiter.' },
      ],
    },
  },
};

export const EMAIL_LOCALES = Object.keys(CATALOG);

/** de-DE → de → en; `de_at`, `DE` and `de-AT` all find German. */
export function resolveEmailLocale(locale: string): string {
  const tag = (locale || '').replace(/_/g, '-').toLowerCase();
  if (CATALOG[tag]) return tag;
  const lang = tag.split('-')[0];
  return CATALOG[lang] ? lang : 'en';
}

/** Render a template in the best available locale; vars are escaped in HTML. */
export function renderEmail(
  template: EmailTemplate,
  locale: string,
  vars: Record<string, string | number>,
): { subject: string; text: string; html: string } {
  const lang = resolveEmailLocale(locale);
  const t = CATALOG[lang][template];
  if (!t) throw new Error(`unknown email template ${template}`);
  const values: Record<string, string> = {};
  for (const name of VARS[template]) {
    const v = vars[name];
    if (v === undefined || v === null || v === '') throw new Error(`email template ${template} needs var ${name}`);
    values[name] = name === 'minutes' ? formatMinutes(lang, Number(v)) : String(v);
  }
  const fill = (s: string) => s.replace(/\{([a-z_]+)\}/g, (_, name: string) => values[name]);
  // A header must stay one line, whatever a var holds.
  const subject = fill(t.subject).replace(/[\r\n\t]+/g, ' ').trim();

  const text = t.blocks
    .map((b) => ('p' in b ? fill(b.p) : 'code' in b ? fill(b.code) : `${fill(b.label)}: ${fill(b.link)}`))
    .join('\n\n') + '\n';

  const body = t.blocks
    .map((b) => {
      if ('p' in b) return `<p>${escapeHtml(fill(b.p))}</p>`;
      if ('code' in b) return `<p style="font-size:28px;font-weight:bold;letter-spacing:6px;font-family:monospace">${escapeHtml(fill(b.code))}</p>`;
      const href = fill(b.link);
      // Only web links become anchors: a `javascript:` var renders as inert text.
      return /^https?:\/\//i.test(href)
        ? `<p><a href="${escapeHtml(href)}">${escapeHtml(fill(b.label))}</a></p>`
        : `<p>${escapeHtml(fill(b.label))}: ${escapeHtml(href)}</p>`;
    })
    .join('\n');
  const html = `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family:sans-serif;line-height:1.5">\n${body}\n</body></html>\n`;
  return { subject, text, html };
}

function formatMinutes(lang: string, n: number): string {
  if (!Number.isFinite(n)) throw new Error('minutes must be a number');
  return new Intl.NumberFormat(lang, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(n);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
