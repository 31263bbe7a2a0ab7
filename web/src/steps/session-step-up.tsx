import { startAuthentication } from '@simplewebauthn/browser';
import { useEffect, useRef } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { CodeForm } from '../components/code-form';
import { byStrength, FactorOption, useFactorChoice } from '../components/factor-option';
import { Alert, Button } from '../components/ui';
import { t } from '../lib/i18n';
import { withEmail } from '../components/isolated';
import { problemMessage } from '../lib/problems';

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
  const c = useFactorChoice(offered);
  const tried = useRef(false);

  const passkey = () =>
    c.attempt('passkey', async () => {
      const optionsJSON = await api.stepUpOptions();
      await api.stepUp(await startAuthentication({ optionsJSON }));
      onDone();
    }, (x) => (x instanceof ApiError ? problemMessage(x.problem) : t('web.stepup.passkey_failed')));
  const sendEmail = () => c.sendThenChoose('email', () => api.stepUpEmail());

  useEffect(() => {
    if (tried.current || c.primary !== 'passkey') return;
    tried.current = true;
    void passkey();
  }, []);

  const back = offered.length > 1 ? { onBack: () => c.choose(null), backLabel: t('web.factor.other') } : { onBack: onCancel, backLabel: t('web.dashboard.cancel') };
  const proved = async (proof: Promise<unknown>) => { await proof; onDone(); };
  if (c.chosen === 'totp') {
    return <CodeForm name="stepup-totp" level={3} title={t('web.stepup.totp_title')} lead={t('web.stepup.totp_lead')} submit={(code) => proved(api.stepUpTotp(code))} {...back} />;
  }
  if (c.chosen === 'email') {
    return (
      <CodeForm name="stepup-email" level={3} title={t('web.code.title')} lead={withEmail('web.code.sent', email)} submit={(code) => proved(api.confirmStepUpEmail(code))}
        resend={() => api.stepUpEmail()} wait={c.wait} {...back} />
    );
  }

  const hint = (f: StepUpFactor) =>
    f === 'passkey' ? t(c.passkeySupported ? 'web.factor.passkey.hint' : 'web.stepup.passkey_unsupported') : f === 'totp' ? t('web.factor.totp.hint') : withEmail('web.factor.email.hint', email);
  const action = (f: StepUpFactor) => (f === 'passkey' ? passkey : f === 'totp' ? () => c.choose('totp') : sendEmail);
  return (
    <section class="stack" aria-labelledby="stepup-title">
      <h3 id="stepup-title" tabIndex={-1} ref={c.heading}>{t('web.stepup.title')}</h3>
      <p>{t('web.stepup.body')}</p>
      {c.error && <Alert>{c.error}</Alert>}
      <ul class="factors">
        {offered.map((f) => (
          <FactorOption key={f} factor={f} name={`stepup-${f}`} label={t(`web.factor.${f}.label`)} hint={hint(f)} primary={f === c.primary} busy={c.busy === f}
            disabled={(f === 'passkey' && !c.passkeySupported) || (c.busy !== null && c.busy !== f)} onClick={action(f)} />
        ))}
      </ul>
      <div class="actions">
        <Button kind="link" name="stepup-cancel" onClick={onCancel}>{t('web.dashboard.cancel')}</Button>
      </div>
    </section>
  );
}
