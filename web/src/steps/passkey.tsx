import { startRegistration } from '@simplewebauthn/browser';
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Alert, Button } from '../components/ui';
import { t } from '../lib/i18n';
import { showProblem } from '../lib/problems';

export const passkeyState = {
  get: (id: string) => localStorage.getItem(`enroll.passkey.${id}`) as 'registered' | 'skipped' | null,
  set: (id: string, v: 'registered' | 'skipped') => localStorage.setItem(`enroll.passkey.${id}`, v),
};

/** Registers a passkey on the enrollment (the server's rule: after the email code). */
export async function registerPasskey(enrollmentId: string): Promise<void> {
  const optionsJSON = await api.passkeyOptions(enrollmentId);
  const attestation = await startRegistration({ optionsJSON });
  await api.registerPasskey(enrollmentId, attestation);
  passkeyState.set(enrollmentId, 'registered');
}

/** Passkey first: the account's sign-in, offered before anything else once the address is proven. */
export function PasskeyStep({ id, onDone }: { id: string; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const supported = typeof window.PublicKeyCredential === 'function';
  async function create() {
    setBusy(true);
    setError(null);
    try {
      await registerPasskey(id);
      onDone();
    } catch (x) {
      setError(x instanceof Error && x.name === 'NotAllowedError' ? t('web.passkey.failed') : showProblem(x).form ?? t('web.passkey.failed'));
      setBusy(false);
    }
  }
  return (
    <section class="stack" aria-labelledby="passkey-title">
      <h1 id="passkey-title" tabIndex={-1}>{t('web.passkey.title')}</h1>
      <p class="lead">{t('web.passkey.body')}</p>
      {!supported && <Alert kind="info">{t('web.passkey.unsupported')}</Alert>}
      {error && <Alert>{error}</Alert>}
      <div class="actions">
        <Button onClick={create} busy={busy} disabled={!supported} name="passkey-create">{t('web.passkey.create')}</Button>
        <Button kind="secondary" name="passkey-skip" onClick={() => { passkeyState.set(id, 'skipped'); onDone(); }}>{t('web.passkey.skip')}</Button>
      </div>
    </section>
  );
}
