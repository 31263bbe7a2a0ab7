import { api } from '../api/client';
import type { Enrollment } from '../api/types';
import { byStrength, FactorOption, useFactorChoice } from '../components/factor-option';
import { withPhone } from '../components/isolated';
import { Alert } from '../components/ui';
import { t } from '../lib/i18n';
import { showProblem } from '../lib/problems';
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
  const c = useFactorChoice(offered);
  const phone = e.profile?.phone ?? '';

  const passkey = () =>
    c.attempt('passkey', async () => {
      await registerPasskey(e.id);
      onDone();
    }, (x) => (x instanceof Error && x.name === 'NotAllowedError' ? t('web.factor.passkey.failed') : showProblem(x).form ?? t('web.factor.passkey.failed')));

  const back = () => c.choose(null);
  if (c.chosen === 'totp') return <TotpFactor id={e.id} onDone={onDone} onBack={back} />;
  if (c.chosen === 'sms') return <SmsFactor id={e.id} phone={phone} wait={c.wait} onDone={onDone} onBack={back} />;

  const option = (f: Factor, hint: string, action: () => void, disabled = false) => (
    <FactorOption key={f} factor={f} name={f === 'passkey' ? 'passkey-create' : `factor-${f}`} primary={f === c.primary} onClick={action} busy={c.busy === f}
      disabled={disabled || (c.busy !== null && c.busy !== f)} hint={hint} label={f === 'sms' ? withPhone('web.factor.sms.label', phone) : t(`web.factor.${f}.label`)} />
  );

  return (
    <section class="stack" aria-labelledby="factor-title">
      <h1 id="factor-title" tabIndex={-1} ref={c.heading}>{t('web.stepup.title')}</h1>
      <p class="lead">{t('web.stepup.body')}</p>
      {c.error && <Alert>{c.error}</Alert>}
      <ul class="factors">
        {offered.map((f) => f === 'passkey'
          ? option(f, t(c.passkeySupported ? 'web.factor.passkey.hint' : 'web.factor.passkey.unsupported'), passkey, !c.passkeySupported)
          : f === 'totp'
            ? option(f, t('web.factor.totp.hint'), () => c.choose('totp'))
            : option(f, t('web.factor.sms.hint'), () => c.sendThenChoose('sms', () => api.sendCode(e.id, 'sms'))))}
      </ul>
    </section>
  );
}
