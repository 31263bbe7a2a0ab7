import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { t } from '../lib/i18n';
import { fieldMessage, problemMessage, showProblem } from '../lib/problems';
import { codeError } from '../lib/validate';
import { Field } from './ui';

/**
 * A six-digit code form's state: the digits, the message next to the input, one for the form, and the
 * submission. `own` replaces a problem's text where this form knows better (an SMS code is not "in the email").
 */
export function useCodeEntry(submit: (code: string) => Promise<void>, own: Record<string, string> = {}) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<string | null>(null);

  function show(x: unknown) {
    const s = showProblem(x, 'code');
    const p = x instanceof ApiError ? x.problem : null;
    const key = p ? own[p.code] : undefined;
    setError(key && s.fields.code ? t(key) : s.fields.code ?? null);
    // A problem about another input (the profile's phone) has no input here: it is said for the whole form.
    setForm(s.form ?? (p && !s.fields.code ? problemMessage(p) : null));
  }

  async function verify(value: string) {
    const local = codeError(value);
    if (local) return setError(fieldMessage(local));
    setBusy(true);
    setForm(null);
    try {
      await submit(value);
    } catch (x) {
      show(x);
      setBusy(false);
    }
  }

  const field = (
    <Field name="code" label={t('web.field.code')} value={code} autoComplete="one-time-code" inputMode="numeric" dir="ltr" maxLength={6} required error={error}
      onInput={(v) => {
        const digits = v.replace(/\D/g, '').slice(0, 6);
        setCode(digits);
        setError(null);
        // Six digits is the whole answer: verify without another click.
        if (digits.length === 6 && !busy) void verify(digits);
      }} />
  );
  return { code, busy, form, field, verify, show, clear: () => { setError(null); setForm(null); } };
}

/**
 * Sending a code again, as often as the server allows: a refusal (identity_resend_limited) carries
 * retry_after_seconds, and the button does nothing, with the time left beside it, until then.
 */
export function useResend(send: () => Promise<unknown>, entry: { show: (x: unknown) => void; clear: () => void }, initialWaitSeconds = 0) {
  const [resent, setResent] = useState(false);
  const [until, setUntil] = useState(() => Date.now() + initialWaitSeconds * 1000);
  const [now, setNow] = useState(Date.now());
  const wait = Math.max(0, Math.ceil((until - now) / 1000));

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setNow(Date.now()), 1000);
    return () => clearTimeout(timer);
  }, [wait, now]);

  async function resend() {
    // The button stays focusable while it waits (a disabled one would drop keyboard focus): the click is a no-op.
    if (wait > 0) return;
    setResent(false);
    try {
      await send();
      entry.clear();
      setResent(true);
    } catch (x) {
      // "Too soon" is about the button, not the code typed: the wait beside the button says it (a status, announced),
      // and the code field is not marked invalid. Any other refusal is shown as usual.
      const tooSoon = x instanceof ApiError && x.problem.code === 'identity_resend_limited';
      if (!tooSoon) entry.show(x);
      const after = x instanceof ApiError ? Number(x.problem.retry_after_seconds) : NaN;
      if (after > 0) {
        setUntil(Date.now() + after * 1000);
        setNow(Date.now());
      }
    }
  }
  return { resend, resent, wait };
}

/**
 * Send a code before its screen opens. Coming back and in again within the resend interval is not a failure: the
 * code sent a moment ago is still the live one, so the screen opens with the wait the server gave (in seconds).
 * Any other refusal is thrown for the caller to say.
 */
export async function sendOrWait(send: () => Promise<unknown>): Promise<number> {
  try {
    await send();
    return 0;
  } catch (x) {
    if (x instanceof ApiError && x.problem.code === 'identity_resend_limited') return Number(x.problem.retry_after_seconds) || 0;
    throw x;
  }
}
