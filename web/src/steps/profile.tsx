import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { Enrollment } from '../api/types';
import { Alert, Button, Field } from '../components/ui';
import { t } from '../lib/i18n';
import { fieldMessage, showProblem } from '../lib/problems';
import { emailError, loadPhoneRules, nameError, phoneError } from '../lib/validate';
import { COUNTRIES } from '../lib/countries';

/** Name, email, country and consents: the only typing the account needs. Validated as the user types. */
export function ProfileStep({ e, onDone }: { e: Enrollment; onDone: (e: Enrollment) => void }) {
  const p = e.profile;
  const [v, setV] = useState({ given_name: p?.given_name ?? '', family_name: p?.family_name ?? '', email: p?.email ?? '', phone: p?.phone ?? '', country: p?.country ?? e.country ?? 'DE' });
  const [agree, setAgree] = useState(e.consents_required.every((c) => !c.required || (e as any).consents?.some?.((g: any) => g.purpose === c.purpose && g.granted)));
  const [marketing, setMarketing] = useState(false);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [server, setServer] = useState<{ form: string | null; fields: Record<string, string> }>({ form: null, fields: {} });
  const [busy, setBusy] = useState(false);
  const [, phoneRulesLoaded] = useState(false);
  useEffect(() => { void loadPhoneRules().then(() => phoneRulesLoaded(true)); }, []);

  const local: Record<string, string | null> = {
    given_name: nameError(v.given_name), family_name: nameError(v.family_name), email: emailError(v.email), phone: phoneError(v.phone, v.country),
    consents: agree ? null : 'consent_required',
  };
  const err = (k: string) => (server.fields[k] ?? (touched[k] && local[k] ? fieldMessage(local[k]!) : null));
  const set = (k: keyof typeof v) => (x: string) => {
    setV({ ...v, [k]: x });
    setTouched({ ...touched, [k]: true });
    if (server.fields[k]) setServer({ ...server, fields: { ...server.fields, [k]: undefined as unknown as string } });
  };

  async function submit(ev: Event) {
    ev.preventDefault();
    setTouched({ given_name: true, family_name: true, email: true, phone: true, consents: true });
    const first = Object.keys(local).find((k) => local[k]);
    if (first) {
      document.getElementById(first === 'consents' ? 'f-agree' : `f-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const consents = e.consents_required.map((c) => ({ purpose: c.purpose, policy_version: c.policy_version, granted: c.required ? agree : c.purpose === 'marketing_email' ? marketing : false }));
      const next = await api.submitProfile(e.id, { given_name: v.given_name.trim(), family_name: v.family_name.trim(), email: v.email.trim(), phone: v.phone.trim() || null, country: v.country, consents });
      await api.sendCode(e.id);
      onDone(next);
    } catch (x) {
      setServer(showProblem(x));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate class="stack">
      <h1 tabIndex={-1}>{t('web.account.title')}</h1>
      <p class="lead">{t('web.account.subtitle')}</p>
      {server.form && <Alert>{server.form}</Alert>}
      <div class="row">
        <Field name="given_name" label={t('web.field.given_name')} value={v.given_name} onInput={set('given_name')} error={err('given_name')} autoComplete="given-name" required />
        <Field name="family_name" label={t('web.field.family_name')} value={v.family_name} onInput={set('family_name')} error={err('family_name')} autoComplete="family-name" required />
      </div>
      <Field name="email" type="email" label={t('web.field.email')} value={v.email} onInput={set('email')} error={err('email')} autoComplete="email" inputMode="email" dir="ltr" required hint={t('web.field.email_hint')} />
      <div class="row">
        <div class="field">
          <label for="f-country">{t('web.field.country')}</label>
          <select id="f-country" name="country" value={v.country} autoComplete="country" onChange={(x) => set('country')((x.currentTarget as HTMLSelectElement).value)}>
            {COUNTRIES.map((c) => <option key={c} value={c}>{regionName(c)}</option>)}
          </select>
        </div>
        <Field name="phone" type="tel" label={t('web.field.phone')} value={v.phone} onInput={set('phone')} error={err('phone')} autoComplete="tel" inputMode="tel" dir="ltr" />
      </div>
      <fieldset class="consents">
        <legend>{t('web.consent.legend')}</legend>
        <div class={`check${err('consents') ? ' has-error' : ''}`}>
          <input id="f-agree" type="checkbox" checked={agree} aria-describedby="f-agree-help" aria-invalid={err('consents') ? 'true' : undefined}
            onChange={(x) => { setAgree((x.currentTarget as HTMLInputElement).checked); setTouched({ ...touched, consents: true }); }} />
          <label for="f-agree">{t('web.consent.terms')}</label>
          <p class="hint" id="f-agree-help">{t('web.consent.terms_help')}</p>
          {err('consents') && <p class="error" role="alert">{err('consents')}</p>}
        </div>
        <div class="check">
          <input id="f-marketing" type="checkbox" checked={marketing} aria-describedby="f-marketing-help" onChange={(x) => setMarketing((x.currentTarget as HTMLInputElement).checked)} />
          <label for="f-marketing">{t('web.consent.marketing')}</label>
          <p class="hint" id="f-marketing-help">{t('web.consent.marketing_help')}</p>
        </div>
      </fieldset>
      <Button type="submit" busy={busy} name="profile-continue">{t('web.account.continue')}</Button>
    </form>
  );
}

function regionName(code: string): string {
  try {
    return new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
