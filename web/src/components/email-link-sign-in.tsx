import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { t } from '../lib/i18n';
import { showProblem } from '../lib/problems';
import { Alert, Button, Field } from './ui';

/**
 * "Email me a sign-in link": the way back in without a passkey. The server answers the same for any address, so
 * the page does too: it says a link is on its way if an account uses the address, never whether one does.
 */
export function EmailLinkSignIn() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.requestSignInLink(email);
      setSent(true);
    } catch (x) {
      setError(showProblem(x).form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={submit} noValidate aria-labelledby="email-link-hint">
      <p class="hint" id="email-link-hint">{t('web.signin.email_hint')}</p>
      {error && <Alert>{error}</Alert>}
      {sent ? (
        <Alert kind="success">{t('web.signin.email_sent')}</Alert>
      ) : (
        <>
          <Field name="signin-email" type="email" inputMode="email" autoComplete="email" dir="ltr" required label={t('web.signin.email_label')} value={email} onInput={setEmail} maxLength={320} />
          <Button type="submit" kind="secondary" name="email-link" busy={busy} disabled={!email.trim()}>{t('web.signin.email_send')}</Button>
        </>
      )}
    </form>
  );
}
