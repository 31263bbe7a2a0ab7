import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Enrollment } from '../api/types';
import { Alert, Button } from '../components/ui';
import { t } from '../lib/i18n';
import { showProblem } from '../lib/problems';
import { QuoteSummary } from './confirm';
import { SecondFactorStep } from './second-factor';

/**
 * A card-less trial: the server skipped the payment step, so no card frame is loaded at all (nothing of the
 * gateway runs on this page). Start trial completes the enrollment; nothing is charged.
 */
export function TrialStep({ e, onEnrollment }: { e: Enrollment; onEnrollment: (e: Enrollment) => void }) {
  const q = e.quote!;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stepUp, setStepUp] = useState<string[] | null>(null);

  async function start() {
    setBusy(true);
    setError(null);
    try {
      await api.complete(e.id);
      onEnrollment(await api.getEnrollment(e.id));
    } catch (x) {
      // The risk decision may still ask for a second factor before completion, card or not.
      if (x instanceof ApiError && x.problem.code === 'risk_second_factor_required') return setStepUp(x.problem.factors ?? e.risk.factors);
      setError(showProblem(x).form);
      // A review hold or a plan switched elsewhere changes what comes next: show the server's state.
      const fresh = await api.getEnrollment(e.id).catch(() => null);
      if (fresh && fresh.status !== e.status) onEnrollment(fresh);
    } finally {
      setBusy(false);
    }
  }

  if (stepUp) return <SecondFactorStep e={e} factors={stepUp} onDone={() => { setStepUp(null); void start(); }} />;

  return (
    <section class="stack" aria-labelledby="trial-title">
      <h1 id="trial-title" tabIndex={-1}>{t('web.trial.title', { days: q.trial_days })}</h1>
      <p class="lead">{t('web.trial.body')}</p>
      {error && <Alert>{error}</Alert>}
      <QuoteSummary q={q} />
      <Button onClick={start} busy={busy} name="start-trial">{t('web.trial.start')}</Button>
    </section>
  );
}
