import { startAuthentication } from '@simplewebauthn/browser';
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Alert, Button } from '../components/ui';
import { t } from '../lib/i18n';
import { navigate } from '../lib/router';
import { showProblem } from '../lib/problems';

/** Usernameless passkey sign-in: one touch, no typing. */
export async function signInWithPasskey(): Promise<void> {
  const optionsJSON = await api.signInOptions();
  const assertion = await startAuthentication({ optionsJSON });
  await api.signIn(assertion);
}

export function PasskeySignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div class="stack">
      {error && <Alert>{error}</Alert>}
      <Button name="passkey-sign-in" busy={busy} onClick={async () => {
        setBusy(true);
        setError(null);
        try {
          await signInWithPasskey();
          onSignedIn();
        } catch (x) {
          setError(x instanceof Error && x.name === 'NotAllowedError' ? t('web.passkey.failed') : showProblem(x).form);
          setBusy(false);
        }
      }}>{t('web.signin.passkey')}</Button>
    </div>
  );
}

export function DoneStep({ hasPasskey }: { hasPasskey: boolean }) {
  return (
    <section class="stack done" aria-labelledby="done-title">
      <div class="check-mark" aria-hidden="true">✓</div>
      <h1 id="done-title" tabIndex={-1}>{t('web.done.title')}</h1>
      <p class="lead">{t('web.done.body')}</p>
      {hasPasskey ? <PasskeySignIn onSignedIn={() => navigate('/dashboard')} /> : <Button kind="secondary" onClick={() => navigate('/dashboard')}>{t('web.done.dashboard')}</Button>}
      <p class="hint">{t('web.done.email_link')}</p>
    </section>
  );
}
