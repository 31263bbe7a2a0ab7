import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Enrollment } from '../api/types';
import { CardFrame, ChallengeFrame, type CardFrameHandle } from '../components/gateway';
import { Alert, Button } from '../components/ui';
import { brandName, has, money, t } from '../lib/i18n';
import { problemMessage, showProblem } from '../lib/problems';
import { QuoteSummary } from './confirm';
import { SecondFactorStep } from './second-factor';

/**
 * Card in the gateway's frame → token → attach → complete. A 3-D Secure challenge opens in the gateway's frame
 * and completion is retried after it; a decline keeps the customer here with the reason next to the card.
 */
export function PaymentStep({ e, gatewayOrigin, onEnrollment }: { e: Enrollment; gatewayOrigin: string; onEnrollment: (e: Enrollment) => void }) {
  const handle = useRef<CardFrameHandle | null>(null);
  const [busy, setBusy] = useState(false);
  const [cardError, setCardError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [challenge, setChallenge] = useState<string | null>(null);
  const [stepUp, setStepUp] = useState<string[] | null>(null);
  const [other, setOther] = useState(false);
  const [frameKey, setFrameKey] = useState(0);
  const q = e.quote!;
  const onFile = e.payment_method && !other ? e.payment_method : null;

  async function complete() {
    try {
      await api.complete(e.id);
      onEnrollment(await api.getEnrollment(e.id));
    } catch (x) {
      const p = x instanceof ApiError ? x.problem : null;
      if (p?.code === 'payment_authentication_required' && p.next_action?.type === 'three_d_secure') return setChallenge(p.next_action.url);
      if (p?.code === 'risk_second_factor_required') return setStepUp(p.factors ?? e.risk.factors);
      const s = showProblem(x);
      setCardError(s.fields.card ?? null);
      setFormError(s.form);
      // A decline detaches the card on the server: show the fields again for another one.
      const fresh = await api.getEnrollment(e.id).catch(() => null);
      if (fresh) onEnrollment(fresh);
      setOther(false);
      setFrameKey((k) => k + 1);
    } finally {
      setBusy(false);
    }
  }

  async function pay() {
    setBusy(true);
    setCardError(null);
    setFormError(null);
    try {
      if (!onFile) {
        const tok = await handle.current!.submit();
        onEnrollment(await api.attachPaymentMethod(e.id, tok.token));
      }
    } catch (x) {
      setBusy(false);
      if (x instanceof ApiError) setCardError(problemMessage(x.problem));
      return; // a field error from the frame is already shown inside it
    }
    await complete();
  }

  if (stepUp) return <SecondFactorStep e={e} factors={stepUp} onDone={() => { setStepUp(null); setBusy(true); void complete(); }} />;

  return (
    <section class="stack" aria-labelledby="payment-title">
      <h1 id="payment-title" tabIndex={-1}>{t('web.payment.title')}</h1>
      <QuoteSummary q={q} />
      {formError && <Alert>{formError}</Alert>}
      {onFile ? (
        <div class="card-on-file">
          <p>{t('web.payment.card_on_file', { brand: brandName(onFile.brand), last4: onFile.last4 })}</p>
          {cardError && <p class="error" role="alert">{cardError}</p>}
          <Button kind="link" onClick={() => setOther(true)}>{t('web.payment.other_card')}</Button>
        </div>
      ) : (
        <CardFrame key={frameKey} gatewayOrigin={gatewayOrigin} handle={handle} error={cardError}
          onError={(code) => setCardError(has(`web.gateway.${code}`) ? t(`web.gateway.${code}`) : t('web.gateway.card_invalid'))} />
      )}
      <p class="hint secure">{t('web.payment.secure')}</p>
      <Button onClick={pay} busy={busy} name="pay">{q.trial_days > 0 || q.amount === 0 ? t('web.payment.start_trial') : t('web.payment.pay', { amount: money(q.amount, q.currency) })}</Button>
      {challenge && <ChallengeFrame gatewayOrigin={gatewayOrigin} url={challenge} onDone={() => { setChallenge(null); setBusy(true); void complete(); }} />}
    </section>
  );
}
