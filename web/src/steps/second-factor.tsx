import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Enrollment } from '../api/types';
import { sendOrWait } from '../components/code-entry';
import { byStrength, FactorOption } from '../components/factor-option';
import { withPhone } from '../components/isolated';
import { Alert } from '../components/ui';
import { t } from '../lib/i18n';
import { problemMessage, showProblem } from '../lib/problems';
import { registerPasskey } from './passkey';
import { SmsFactor } from './sms-factor';
import { TotpFactor } from './totp-factor';

export type Factor = 'passkey' | 'totp' | 'sms';
const STRENGTH: readonly Factor[] = ['passkey', 'totp', 'sms'];

/** Exactly what the server lists, strongest first; anything this app cannot offer is left out. */
export const offeredFactors = (listed: readonly string[] | undefined): Factor[] => byStrength(STRENGTH, listed);

/**
 * The risk decision's step-up, before completion is retried: only the factors the server accepts, strongest
 * first. A passkey is one click (as before); a device without one can still pass with an authenticator app or
 * a code texted to the profile's phone. `onDone` runs once the server holds the proof.
 */
export function SecondFactorStep({ e, factors, onDone }: { e: Enrollment; factors: readonly string[] | undefined; onDone: () => void }) {
  const offered = offeredFactors(factors);
  const [chosen, setChosen] = useState<Factor | null>(null);
  const [busy, setBusy] = useState<Factor | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [smsWait, setSmsWait] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const passkeySupported = typeof window.PublicKeyCredential === 'function';
  const phone = e.profile?.phone ?? '';
  const primary = offered.find((f) => f !== 'passkey' || passkeySupported);

  // On arrival and on coming back from a factor's own screen.
  useEffect(() => {
    if (chosen === null) heading.current?.focus();
  }, [chosen]);

  async function passkey() {
    setBusy('passkey');
    setError(null);
    try {
      await registerPasskey(e.id);
      onDone();
    } catch (x) {
      setError(x instanceof Error && x.name === 'NotAllowedError' ? t('web.factor.passkey.failed') : showProblem(x).form ?? t('web.factor.passkey.failed'));
      setBusy(null);
    }
  }

  async function sms() {
    setBusy('sms');
    setError(null);
    try {
      setSmsWait(await sendOrWait(() => api.sendCode(e.id, 'sms')));
      setChosen('sms');
    } catch (x) {
      // Not a mobile, a country SMS does not go to: about the profile's phone, so said here, in the server's words.
      setError(x instanceof ApiError ? problemMessage(x.problem) : showProblem(x).form);
    } finally {
      setBusy(null);
    }
  }

  const back = () => { setError(null); setChosen(null); };
  if (chosen === 'totp') return <TotpFactor id={e.id} onDone={onDone} onBack={back} />;
  if (chosen === 'sms') return <SmsFactor id={e.id} phone={phone} wait={smsWait} onDone={onDone} onBack={back} />;

  const option = (f: Factor, hint: string, action: () => void, disabled = false) => (
    <FactorOption key={f} factor={f} name={f === 'passkey' ? 'passkey-create' : `factor-${f}`} primary={f === primary} onClick={action} busy={busy === f}
      disabled={disabled || (busy !== null && busy !== f)} hint={hint} label={f === 'sms' ? withPhone('web.factor.sms.label', phone) : t(`web.factor.${f}.label`)} />
  );

  return (
    <section class="stack" aria-labelledby="factor-title">
      <h1 id="factor-title" tabIndex={-1} ref={heading}>{t('web.stepup.title')}</h1>
      <p class="lead">{t('web.stepup.body')}</p>
      {error && <Alert>{error}</Alert>}
      <ul class="factors">
        {offered.map((f) => f === 'passkey'
          ? option(f, t(passkeySupported ? 'web.factor.passkey.hint' : 'web.factor.passkey.unsupported'), passkey, !passkeySupported)
          : f === 'totp'
            ? option(f, t('web.factor.totp.hint'), () => { setError(null); setChosen('totp'); })
            : option(f, t('web.factor.sms.hint'), sms))}
      </ul>
    </section>
  );
}
