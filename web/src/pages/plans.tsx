import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Plan, PlansResponse } from '../api/types';
import { Alert, Button, Progress } from '../components/ui';
import { has, money, t } from '../lib/i18n';
import { showProblem } from '../lib/problems';

export type Interval = 'month' | 'year';

const cache = new Map<string, Promise<PlansResponse>>();
/** The plan list, fetched once per locale and currency; boot starts it before the first render. */
export function loadPlans(q: { locale: string; currency: string }): Promise<PlansResponse> {
  const key = `${q.locale}|${q.currency}`;
  let p = cache.get(key);
  if (!p) {
    p = api.plans(q);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

function featureValue(v: number | boolean | 'unlimited') {
  if (v === 'unlimited') return t('web.plans.unlimited');
  if (v === true) return <span><span aria-hidden="true">✓ </span><span class="sr-only">{t('web.plans.included')}</span></span>;
  if (v === false) return <span><span aria-hidden="true">–</span><span class="sr-only">{t('web.plans.not_included')}</span></span>;
  return new Intl.NumberFormat(document.documentElement.lang).format(v);
}

/** A trial that starts without a card says so on the card and in the comparison: it is a reason to choose. */
export const cardlessTrial = (p: Plan) => p.trial_days > 0 && !p.trial_card_required;

function trialValue(p: Plan) {
  if (p.trial_days === 0) return featureValue(false);
  return t(cardlessTrial(p) ? 'web.plans.trial_no_card' : 'web.plans.trial_card', { days: p.trial_days });
}

function reason(p: Plan) {
  const r = p.reasons.find((x) => has(`web.plans.reason.${x}`));
  return t(r ? `web.plans.reason.${r}` : 'web.plans.reason.default');
}

/** Plans side by side, the recommended one highlighted with the reason, and the full comparison below. */
export function PlansPage(props: { locale: string; currency: string; onPick: (plan: string, interval: Interval) => Promise<void> | void; progress?: boolean }) {
  const [data, setData] = useState<PlansResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [interval, setInterval] = useState<Interval>('month');
  const [picking, setPicking] = useState<string | null>(null);

  useEffect(() => {
    loadPlans({ locale: props.locale, currency: props.currency }).then(setData, (x) => setError(showProblem(x).form));
  }, [props.locale, props.currency]);

  const hero = (
    <div class="hero">
      <h1 tabIndex={-1}>{t('web.plans.title')}</h1>
      <p class="lead">{t('web.plans.subtitle')}</p>
    </div>
  );
  if (error) return <div class="stack">{hero}<Alert>{error}</Alert></div>;
  if (!data) return <div class="stack">{props.progress !== false && <Progress step="plan" />}{hero}<p class="loading" aria-live="polite">{t('web.app.loading')}</p></div>;
  const price = (p: Plan) => p.prices.find((x) => x.interval === interval && x.currency === data.currency) ?? p.prices.find((x) => x.interval === interval)!;
  const saving = Math.max(0, ...data.plans.map((p) => p.prices.find((x) => x.interval === 'year')?.savings_percent ?? 0));

  return (
    <div class="stack">
      {props.progress !== false && <Progress step="plan" />}
      {hero}
      <div class="interval" role="radiogroup" aria-label={t('web.plans.interval_label')}>
        {(['month', 'year'] as const).map((i) => (
          <label key={i} class={interval === i ? 'on' : ''}>
            <input type="radio" name="interval" value={i} checked={interval === i} onChange={() => setInterval(i)} />
            {t(`web.plans.interval_${i}`)}
            {i === 'year' && saving > 0 && <span class="badge">{t('web.plans.save', { percent: saving })}</span>}
          </label>
        ))}
      </div>
      <ul class="plans">
        {data.plans.map((p) => {
          const pr = price(p);
          return (
            <li key={p.id} class={`plan${p.recommended ? ' recommended' : ''}`} aria-labelledby={`plan-${p.id}`}>
              {p.recommended && <p class="ribbon">{t('web.plans.recommended')}</p>}
              <h2 id={`plan-${p.id}`}>{p.name}</h2>
              <p class="tagline">{p.tagline}</p>
              <p class="price"><span class="amount" dir="ltr">{money(pr.amount, pr.currency)}</span> <span class="per">{t(`web.plans.per_${interval}`)}</span></p>
              {p.trial_days > 0 && <p class="trial">{t('web.plans.trial', { days: p.trial_days })}</p>}
              {cardlessTrial(p) && <p class="no-card">{t('web.plans.no_card')}</p>}
              {p.recommended && <p class="reason">{reason(p)}</p>}
              <Button kind={p.recommended ? 'primary' : 'secondary'} name={`choose-${p.id}`} busy={picking === p.id} disabled={picking !== null}
                onClick={async () => { setPicking(p.id); try { await props.onPick(p.id, interval); } catch (x) { setError(showProblem(x).form); setPicking(null); } }}>
                {t('web.plans.choose', { plan: p.name })}
              </Button>
            </li>
          );
        })}
      </ul>
      <section aria-labelledby="compare-title" class="compare">
        <h2 id="compare-title">{t('web.plans.compare')}</h2>
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="compare-title">
          <table>
            <thead>
              <tr><th scope="col">{t('web.plans.feature')}</th>{data.plans.map((p) => <th key={p.id} scope="col" class={p.recommended ? 'recommended' : ''}>{p.name}</th>)}</tr>
            </thead>
            <tbody>
              {data.features.map((f) => (
                <tr key={f.key}><th scope="row">{f.label}</th>{data.plans.map((p) => <td key={p.id}>{featureValue(p.features[f.key])}</td>)}</tr>
              ))}
              <tr data-row="trial"><th scope="row">{t('web.plans.trial_row')}</th>{data.plans.map((p) => <td key={p.id}>{trialValue(p)}</td>)}</tr>
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
