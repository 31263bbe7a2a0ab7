import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Enrollment, Quote } from '../api/types';
import { Alert, Button } from '../components/ui';
import { money, t } from '../lib/i18n';
import { showProblem } from '../lib/problems';

/** The price-locked quote, every line of it, before any card is asked for. */
export function QuoteSummary({ q }: { q: Quote }) {
  return (
    <dl class="quote">
      {q.lines.map((l, i) => (
        <div key={i} class="line"><dt>{l.description}</dt><dd dir="ltr">{money(l.amount, q.currency)}</dd></div>
      ))}
      {q.tax.amount > 0 && (
        <div class="line sub"><dt>{t('web.confirm.tax', { label: t(`web.tax.${q.tax.label}`), rate: q.tax.rate_bp / 10000 })}</dt><dd dir="ltr">{money(q.tax.amount, q.currency)}</dd></div>
      )}
      <div class="line total">
        <dt>{q.trial_days > 0 ? t('web.confirm.after_trial', { days: q.trial_days }) : t(`web.confirm.total_${q.interval}`)}</dt>
        <dd dir="ltr">{money(q.amount, q.currency)}</dd>
      </div>
    </dl>
  );
}

export function ConfirmStep({ e, cardless, onContinue, onChanged, onChangePlan }: { e: Enrollment; cardless: boolean; onContinue: () => void; onChanged: (e: Enrollment) => void; onChangePlan: () => void }) {
  const q = e.quote!;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function switchInterval() {
    setBusy(true);
    try {
      const r = await api.selectPlan(e.id, { plan_id: q.plan_id, interval: q.interval === 'month' ? 'year' : 'month', currency: q.currency });
      onChanged(r.enrollment);
    } catch (x) {
      setError(showProblem(x).form);
    }
    setBusy(false);
  }
  return (
    <section class="stack" aria-labelledby="confirm-title">
      <h1 id="confirm-title" tabIndex={-1}>{t('web.confirm.title')}</h1>
      {error && <Alert>{error}</Alert>}
      <QuoteSummary q={q} />
      {cardless && <p class="no-card">{t('web.plans.no_card')}</p>}
      <p class="hint">{t(q.tax.mode === 'exclusive' ? 'web.confirm.tax_exclusive' : 'web.confirm.tax_inclusive')}</p>
      <div class="actions">
        <Button onClick={onContinue} name="confirm-continue">{t(cardless ? 'web.confirm.continue_trial' : 'web.confirm.continue')}</Button>
        <Button kind="secondary" onClick={switchInterval} busy={busy}>{t(q.interval === 'month' ? 'web.confirm.switch_year' : 'web.confirm.switch_month')}</Button>
        <Button kind="link" onClick={onChangePlan}>{t('web.confirm.change_plan')}</Button>
      </div>
    </section>
  );
}
