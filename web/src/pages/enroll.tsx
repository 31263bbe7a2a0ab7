import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Enrollment } from '../api/types';
import { Alert, Button, Progress, type UiStep } from '../components/ui';
import { t } from '../lib/i18n';
import { navigate } from '../lib/router';
import { showProblem } from '../lib/problems';
import { CodeStep } from '../steps/code';
import { ConfirmStep } from '../steps/confirm';
import { DoneStep } from '../steps/done';
import { PasskeyStep, passkeyState } from '../steps/passkey';
import { PaymentStep } from '../steps/payment';
import { ProfileStep } from '../steps/profile';
import { TrialStep } from '../steps/trial';
import { cardlessTrial, loadPlans, PlansPage, type Interval } from './plans';

/**
 * The server skipped the payment step: it counts as done (`steps.payment`), so completion is among `next`, yet no
 * card is on file. `next` alone cannot say it: it still offers `payment`, since a card may be given anyway.
 */
export const paymentSkipped = (e: Enrollment) => e.quote !== null && e.steps.payment === 'complete' && e.payment_method === null;

/**
 * One enrollment, resumed from its id: the server's state says which steps are done, so a reload or another
 * device continues where the customer left off and never asks again for what was given. Only the plan picked
 * before the account exists travels in the URL (?plan=&interval=).
 */
export function EnrollPage(props: { id: string; plan: string | null; interval: Interval; currency: string; locale: string; gatewayOrigin: string }) {
  const [e, setE] = useState<Enrollment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editProfile, setEditProfile] = useState(false);
  const [paying, setPaying] = useState(false);
  const [choosePlan, setChoosePlan] = useState(false);
  const [pickedCardless, setPickedCardless] = useState(false);
  const [, bump] = useState(0);

  useEffect(() => {
    api.getEnrollment(props.id).then(setE, (x) => setError(showProblem(x).form));
  }, [props.id]);

  // Before a quote exists, the plan picked on the first page says whether the path has a payment step (the plans
  // were loaded there; this reads the same cached answer).
  useEffect(() => {
    if (!props.plan) return;
    loadPlans({ locale: props.locale, currency: props.currency }).then((d) => {
      const p = d.plans.find((x) => x.id === props.plan);
      setPickedCardless(p !== undefined && cardlessTrial(p));
    }, () => null);
  }, [props.plan]);

  // Focus the new step's heading, so keyboard and screen-reader users land where the page changed; in the same
  // commit as the step (see useHeadingFocus).
  useLayoutEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [e?.status, editProfile, paying, choosePlan]);

  const select = async (plan: string, interval: Interval) => {
    const r = await api.selectPlan(props.id, { plan_id: plan, interval, currency: e?.currency ?? props.currency });
    setChoosePlan(false);
    navigate(`/enroll/${props.id}`, true);
    setE(r.enrollment);
  };

  // After the account (and the passkey offer), the plan picked on the first page is selected without asking.
  const passkey = passkeyState.get(props.id);
  const autoSelect = e?.status === 'verified' && passkey !== null && props.plan !== null;
  useEffect(() => {
    if (autoSelect) select(props.plan!, props.interval).catch((x) => setError(showProblem(x).form));
  }, [autoSelect]);

  if (error) return <div class="stack"><Alert>{error}</Alert><Button kind="secondary" onClick={() => navigate('/')}>{t('web.expired.restart')}</Button></div>;
  if (!e) return <p class="loading" aria-live="polite">{t('web.app.loading')}</p>;

  const cardless = e.quote ? paymentSkipped(e) : pickedCardless;
  const wrap = (step: UiStep, body: preact.ComponentChildren) => <div class="stack"><Progress step={step} cardless={cardless} /><div class="panel">{body}</div></div>;

  if (e.status === 'expired') return wrap('account', <Final title="web.expired.title" body="web.expired.body" />);
  if (e.status === 'rejected') return wrap('account', <Final title="web.rejected.title" body="web.rejected.body" />);
  if (e.status === 'pending_review') return wrap('payment', <Final title="web.review.title" body="web.review.body" restart={false} />);
  if (e.status === 'completed') return wrap('done', <DoneStep hasPasskey={passkey === 'registered'} />);
  if (e.status === 'started' || (editProfile && e.status === 'profile_completed')) {
    return wrap('account', <ProfileStep e={e} onDone={(n) => { setEditProfile(false); setE(n); }} />);
  }
  if (e.status === 'profile_completed') return wrap('account', <CodeStep e={e} onDone={setE} onEditProfile={() => setEditProfile(true)} />);
  if (e.status === 'verified' && passkey === null) return wrap('account', <PasskeyStep id={e.id} onDone={() => bump((n) => n + 1)} />);
  if ((e.status === 'verified' && !autoSelect) || choosePlan) {
    return <PlansPage locale={props.locale} currency={e.currency ?? props.currency} onPick={select} />;
  }
  if (e.status === 'verified') return <p class="loading" aria-live="polite">{t('web.app.loading')}</p>;
  // A card-less trial skips the server's payment step (payment_attached without a card): the quote is still confirmed
  // first, then the trial starts without the card frame ever loading.
  const quoteToConfirm = e.status === 'plan_selected' || (e.status === 'payment_attached' && !e.payment_method);
  if (quoteToConfirm && !paying) {
    return wrap('confirm', <ConfirmStep e={e} cardless={cardless} onContinue={() => setPaying(true)} onChanged={setE} onChangePlan={() => setChoosePlan(true)} />);
  }
  if (cardless) return wrap('confirm', <TrialStep e={e} onEnrollment={setE} />);
  return wrap('payment', <PaymentStep e={e} gatewayOrigin={props.gatewayOrigin} onEnrollment={setE} />);
}

function Final({ title, body, restart = true }: { title: string; body: string; restart?: boolean }) {
  return (
    <section class="stack">
      <h1 tabIndex={-1}>{t(title)}</h1>
      <p class="lead">{t(body)}</p>
      {restart && <Button onClick={() => navigate('/')}>{t('web.expired.restart')}</Button>}
    </section>
  );
}

export { ApiError };
