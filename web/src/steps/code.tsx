import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Enrollment } from '../api/types';
import { Alert, Button, Field } from '../components/ui';
import { t } from '../lib/i18n';
import { fieldMessage, showProblem } from '../lib/problems';
import { codeError } from '../lib/validate';

/** The emailed one-time code: it proves the address is theirs before any passkey is bound to it. */
export function CodeStep({ e, onDone, onEditProfile }: { e: Enrollment; onDone: (e: Enrollment) => void; onEditProfile: () => void }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<string | null>(null);
  const [resent, setResent] = useState(false);

  async function verify(value: string) {
    const local = codeError(value);
    if (local) return setError(fieldMessage(local));
    setBusy(true);
    try {
      onDone(await api.confirmCode(e.id, value));
    } catch (x) {
      const s = showProblem(x, 'code');
      setError(s.fields.code ?? null);
      setForm(s.form);
      setBusy(false);
    }
  }

  async function resend() {
    setResent(false);
    try {
      await api.sendCode(e.id);
      setResent(true);
      setError(null);
    } catch (x) {
      const s = showProblem(x, 'code');
      setError(s.fields.code ?? null);
      setForm(s.form);
    }
  }

  return (
    <form class="stack" noValidate onSubmit={(ev) => { ev.preventDefault(); void verify(code); }}>
      <h1 tabIndex={-1}>{t('web.code.title')}</h1>
      <p class="lead">{t('web.code.sent', { email: e.profile?.email ?? '' })}</p>
      {form && <Alert>{form}</Alert>}
      {resent && <Alert kind="info">{t('web.code.resent')}</Alert>}
      <Field name="code" label={t('web.field.code')} value={code} autoComplete="one-time-code" inputMode="numeric" dir="ltr" maxLength={6} required error={error}
        onInput={(v) => {
          const digits = v.replace(/\D/g, '').slice(0, 6);
          setCode(digits);
          setError(null);
          // Six digits is the whole answer: verify without another click.
          if (digits.length === 6 && !busy) void verify(digits);
        }} />
      <div class="actions">
        <Button type="submit" busy={busy} name="code-verify">{t('web.code.verify')}</Button>
        <Button kind="link" onClick={resend}>{t('web.code.resend')}</Button>
        <Button kind="link" onClick={onEditProfile}>{t('web.code.change_email')}</Button>
      </div>
    </form>
  );
}
