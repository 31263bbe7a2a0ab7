import { startAuthentication } from '@simplewebauthn/browser';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { sendOrWait } from '../components/code-entry';
import { CodeForm } from '../components/code-form';
import { byStrength, FactorOption } from '../components/factor-option';
import { Alert, Button } from '../components/ui';
import { t } from '../lib/i18n';
import { withEmail } from '../components/isolated';
import { problemMessage, showProblem } from '../lib/problems';

export type StepUpFactor = 'passkey' | 'totp' | 'email';
const STRENGTH: readonly StepUpFactor[] = ['passkey', 'totp', 'email'];

/**
 * A fresh proof of presence before a sensitive dashboard change is retried: exactly the factors the server named in
 * session_step_up_required, strongest first (a server that names none predates the list and knew only passkeys).
 * A usable passkey is tried at once, one touch as it always was; the choice stays on screen for when it fails.
 * The authenticator app is already set up, so only its code is asked; the email code is sent on request.
 */
export function SessionStepUp({ factors, email, onDone, onCancel }: { factors: readonly string[] | undefined; email: string; onDone: () => void; onCancel: () => void }) {
  const offered = byStrength(STRENGTH, factors ?? ['passkey']);
  const passkeySupported = typeof window.PublicKeyCredential === 'function';
  const primary = offered.find((f) => f !== 'passkey' || passkeySupported);
  const [chosen, setChosen] = useState<'totp' | 'email' | null>(null);
  const [busy, setBusy] = useState<StepUpFactor | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [emailWait, setEmailWait] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const tried = useRef(false);

  async function passkey() {
    setBusy('passkey');
    setError(null);
    try {
      const optionsJSON = await api.stepUpOptions();
      await api.stepUp(await startAuthentication({ optionsJSON }));
      onDone();
    } catch (x) {
      setError(x instanceof ApiError ? problemMessage(x.problem) : t('web.stepup.passkey_failed'));
      setBusy(null);
    }
  }

  async function sendEmail() {
    setBusy('email');
    setError(null);
    try {
      setEmailWait(await sendOrWait(() => api.stepUpEmail()));
      setChosen('email');
    } catch (x) {
      setError(x instanceof ApiError ? problemMessage(x.problem) : showProblem(x).form);
    } finally {
      setBusy(null);
    }
  }

  useEffect(() => {
    if (tried.current || primary !== 'passkey') return;
    tried.current = true;
    void passkey();
  }, []);
  // On arrival and on coming back from a code's own screen.
  useEffect(() => {
    if (chosen === null) heading.current?.focus();
  }, [chosen]);

  const back = offered.length > 1 ? { onBack: () => { setError(null); setChosen(null); }, backLabel: t('web.factor.other') } : { onBack: onCancel, backLabel: t('web.dashboard.cancel') };
  const proved = async (proof: Promise<unknown>) => { await proof; onDone(); };
  if (chosen === 'totp') {
    return <CodeForm name="stepup-totp" level={3} title={t('web.stepup.totp_title')} lead={t('web.stepup.totp_lead')} submit={(code) => proved(api.stepUpTotp(code))} {...back} />;
  }
  if (chosen === 'email') {
    return (
      <CodeForm name="stepup-email" level={3} title={t('web.code.title')} lead={withEmail('web.code.sent', email)} submit={(code) => proved(api.confirmStepUpEmail(code))}
        resend={() => api.stepUpEmail()} wait={emailWait} {...back} />
    );
  }

  const hint = (f: StepUpFactor) =>
    f === 'passkey' ? t(passkeySupported ? 'web.factor.passkey.hint' : 'web.stepup.passkey_unsupported') : f === 'totp' ? t('web.factor.totp.hint') : withEmail('web.factor.email.hint', email);
  const action = (f: StepUpFactor) => (f === 'passkey' ? passkey : f === 'totp' ? () => { setError(null); setChosen('totp'); } : sendEmail);
  return (
    <section class="stack" aria-labelledby="stepup-title">
      <h3 id="stepup-title" tabIndex={-1} ref={heading}>{t('web.stepup.title')}</h3>
      <p>{t('web.stepup.body')}</p>
      {error && <Alert>{error}</Alert>}
      <ul class="factors">
        {offered.map((f) => (
          <FactorOption key={f} factor={f} name={`stepup-${f}`} label={t(`web.factor.${f}.label`)} hint={hint(f)} primary={f === primary} busy={busy === f}
            disabled={(f === 'passkey' && !passkeySupported) || (busy !== null && busy !== f)} onClick={action(f)} />
        ))}
      </ul>
      <div class="actions">
        <Button kind="link" name="stepup-cancel" onClick={onCancel}>{t('web.dashboard.cancel')}</Button>
      </div>
    </section>
  );
}
