import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import type { Consent, Me } from '../api/types';
import { CardFrame, ChallengeFrame, type CardFrameHandle } from '../components/gateway';
import { Alert, Button } from '../components/ui';
import { brandName, date, has, money, t } from '../lib/i18n';
import { problemMessage, showProblem } from '../lib/problems';
import { PasskeySignIn } from '../steps/done';
import { EmailLinkSignIn } from '../components/email-link-sign-in';
import { SessionStepUp } from '../steps/session-step-up';

/** The customer chose not to confirm it is them: the change is dropped, quietly (they know why). */
class StepUpCancelled extends Error {}

/** The current state per purpose (`state` in GET /v1/customers/{id}/consents; the ledger itself is not shown). */
const consentList = (r: unknown): Consent[] => (Array.isArray(r) ? r : ((r as { state?: Consent[]; consents?: Consent[] }).state ?? (r as { consents?: Consent[] }).consents ?? []));
/** Only what rests on consent can be withdrawn here; terms and privacy rest on the contract (close the account instead). */
const withdrawable = (c: Consent) => c.granted && c.required !== true && (c.lawful_basis ?? 'consent') === 'consent';
const purposeName = (p: string) => (has(`web.consent.purpose.${p}`) ? t(`web.consent.purpose.${p}`) : p);

/** The signed-in owner's home: workspace, plan and next invoice, card, passkeys, consents, export, deletion. */
export function DashboardPage({ gatewayOrigin }: { gatewayOrigin: string }) {
  const [me, setMe] = useState<Me | null>(null);
  const [signedOut, setSignedOut] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = () => api.me().then((m) => { setMe(m); setSignedOut(false); }, (x) => (x instanceof ApiError && x.problem.status === 401 ? setSignedOut(true) : setError(showProblem(x).form)));
  useEffect(() => { void load(); }, []);
  useLayoutEffect(() => { document.querySelector<HTMLElement>('main h1')?.focus(); }, [signedOut, me === null]); // same commit (see useHeadingFocus)

  if (error) return <Alert>{error}</Alert>;
  if (signedOut) {
    return (
      <section class="panel stack narrow" aria-labelledby="signin-title">
        <h1 id="signin-title" tabIndex={-1}>{t('web.signin.title')}</h1>
        <p class="lead">{t('web.signin.body')}</p>
        <PasskeySignIn onSignedIn={() => void load()} />
        <EmailLinkSignIn />
      </section>
    );
  }
  if (!me) return <p class="loading" aria-live="polite">{t('web.app.loading')}</p>;
  return (
    <div class="stack">
      <div class="dash-head">
        <h1 tabIndex={-1}>{t('web.dashboard.title', { name: me.customer.given_name })}</h1>
        <Button kind="secondary" onClick={async () => { await api.logout().catch(() => null); setMe(null); setSignedOut(true); }}>{t('web.dashboard.logout')}</Button>
      </div>
      <div class="grid">
        <Workspace me={me} />
        <Subscriptions me={me} gatewayOrigin={gatewayOrigin} reload={load} />
        <Passkeys me={me} />
        <Consents customerId={me.customer.id} />
        <DataExport customerId={me.customer.id} />
        <DeleteAccount customerId={me.customer.id} onDeleted={() => { setMe(null); setSignedOut(true); }} />
      </div>
    </div>
  );
}

function Card({ id, title, children }: { id: string; title: string; children: preact.ComponentChildren }) {
  return <section class="panel stack" aria-labelledby={`${id}-title`} id={id}><h2 id={`${id}-title`}>{title}</h2>{children}</section>;
}

function Workspace({ me }: { me: Me }) {
  if (!me.tenant) return null;
  return (
    <Card id="workspace" title={t('web.dashboard.workspace')}>
      <p class="big">{me.tenant.name}</p>
      <h3>{t('web.dashboard.members', { count: me.tenant.members.length })}</h3>
      <ul class="list">
        {me.tenant.members.map((m) => (
          <li key={m.customer_id}>
            <span>{m.customer_id === me.customer.id ? `${me.customer.given_name} ${me.customer.family_name}` : m.customer_id}</span>
            <span class="tag">{m.roles.map((r) => (has(`web.role.${r}`) ? t(`web.role.${r}`) : r)).join(', ')}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function Subscriptions({ me, gatewayOrigin, reload }: { me: Me; gatewayOrigin: string; reload: () => Promise<unknown> }) {
  const [changing, setChanging] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [challenge, setChallenge] = useState<{ url: string; done: () => void } | null>(null);
  const [stepUp, setStepUp] = useState<{ factors: string[] | undefined; done: () => void; cancel: () => void } | null>(null);
  const handle = useRef<CardFrameHandle | null>(null);

  /** The issuer's 3-D Secure page in the gateway's frame; settles when the frame says the challenge is over. */
  const authenticate = (url: string) => new Promise<void>((resolve) => setChallenge({ url, done: () => { setChallenge(null); resolve(); } }));
  /** The step-up screen with the factors the server named; settles once the server holds the proof, or fails if the customer cancels. */
  const proveItIsYou = (factors: string[] | undefined) => new Promise<void>((resolve, reject) =>
    setStepUp({ factors, done: () => { setStepUp(null); resolve(); }, cancel: () => { setStepUp(null); reject(new StepUpCancelled()); } }));

  /**
   * The same change again after each thing the server asks for, once each: a fresh proof of presence (a passkey
   * touch, an authenticator or an emailed code), then the card issuer's challenge. The token stays the same, so
   * the server confirms the one check it began.
   */
  async function changeCard(subId: string, token: string) {
    let steppedUp = false;
    let challenged = false;
    for (;;) {
      try {
        return await api.changeCard(subId, token);
      } catch (x) {
        const p = x instanceof ApiError ? x.problem : null;
        if (p?.code === 'session_step_up_required' && !steppedUp) {
          steppedUp = true;
          await proveItIsYou(p.factors);
        } else if (p?.code === 'payment_authentication_required' && p.next_action?.type === 'three_d_secure' && !challenged) {
          challenged = true;
          await authenticate(p.next_action.url);
        } else throw x;
      }
    }
  }

  async function save(subId: string, first: boolean) {
    setBusy(true);
    setMsg(null);
    try {
      const tok = await handle.current!.submit();
      await changeCard(subId, tok.token);
      // Reload first: the confirmation must appear with the new card beside it, never next to the old one.
      await reload();
      setChanging(null);
      setMsg({ kind: 'success', text: t(first ? 'web.dashboard.card_added' : 'web.dashboard.card_updated') });
    } catch (x) {
      if (!(x instanceof StepUpCancelled)) setMsg({ kind: 'error', text: x instanceof ApiError ? problemMessage(x.problem) : t('web.error.generic') });
    }
    setBusy(false);
  }

  return (
    <Card id="plan" title={t('web.dashboard.plan')}>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      {me.subscriptions.map((s) => (
        <div key={s.id} class="stack">
          <p class="big">{s.plan_name} <span class={`tag status-${s.status}`}>{has(`web.status.${s.status}`) ? t(`web.status.${s.status}`) : s.status}</span></p>
          <p>{t('web.dashboard.next_invoice', { amount: money(s.amount, s.currency), date: date(s.trial_end ?? s.current_period_end) })}</p>
          <h3>{t('web.dashboard.payment_method')}</h3>
          {s.payment_method ? <p>{t('web.payment.card_on_file', { brand: brandName(s.payment_method.brand), last4: s.payment_method.last4 })}</p> : (
            // A card-less trial: nothing to bill at its end until a card is added (the same card route adds the first one).
            <div class="no-card-on-file">
              <p>{t('web.dashboard.no_card')}</p>
              {s.status === 'trialing' && s.trial_end && <p class="hint">{t('web.dashboard.no_card_trial', { date: date(s.trial_end) })}</p>}
            </div>
          )}
          {changing === s.id ? (
            <div class="stack">
              {/* Hidden, not gone, while the step-up asks: the card typed into the gateway's frame is still there on cancel. */}
              <div hidden={stepUp !== null}>
                <div class="stack">
                  <CardFrame gatewayOrigin={gatewayOrigin} handle={handle} onError={() => setMsg({ kind: 'error', text: t('web.gateway.card_invalid') })} />
                  <div class="actions">
                    <Button name="save-card" onClick={() => save(s.id, s.payment_method === null)} busy={busy}>{t('web.dashboard.save_card')}</Button>
                    <Button kind="secondary" onClick={() => setChanging(null)}>{t('web.dashboard.cancel')}</Button>
                  </div>
                </div>
              </div>
              {stepUp && <SessionStepUp factors={stepUp.factors} email={me.customer.email} onDone={stepUp.done} onCancel={stepUp.cancel} />}
            </div>
          ) : (
            <Button kind="secondary" name="update-card" onClick={() => setChanging(s.id)}>{t(s.payment_method ? 'web.dashboard.update_card' : 'web.dashboard.add_card')}</Button>
          )}
        </div>
      ))}
      {challenge && <ChallengeFrame gatewayOrigin={gatewayOrigin} url={challenge.url} onDone={challenge.done} />}
    </Card>
  );
}

function Passkeys({ me }: { me: Me }) {
  return (
    <Card id="passkeys" title={t('web.dashboard.passkeys')}>
      {me.passkeys.length === 0 ? <p>{t('web.dashboard.no_passkeys')}</p> : (
        <ul class="list">
          {me.passkeys.map((p) => <li key={p.id}><span>{t('web.dashboard.passkey_item', { date: date(p.created_at) })}</span>{p.backed_up && <span class="tag">{t('web.dashboard.synced')}</span>}</li>)}
        </ul>
      )}
    </Card>
  );
}

function Consents({ customerId }: { customerId: string }) {
  const [list, setList] = useState<Consent[] | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const load = () => api.consents(customerId).then((r) => setList(consentList(r)), (x) => setMsg(showProblem(x).form));
  useEffect(() => { void load(); }, [customerId]);
  return (
    <Card id="consents" title={t('web.dashboard.consents')}>
      <p class="hint">{t('web.dashboard.consents_body')}</p>
      {msg && <Alert>{msg}</Alert>}
      {list && (
        <ul class="list">
          {list.map((c) => (
            <li key={c.purpose} data-purpose={c.purpose}>
              <span>{purposeName(c.purpose)}</span>
              <span class="tag">{t(c.granted ? 'web.dashboard.consent_given' : 'web.dashboard.consent_withdrawn')}</span>
              {withdrawable(c) && (
                <Button kind="link" name={`withdraw-${c.purpose}`} onClick={async () => {
                  try { await api.withdrawConsent(customerId, c.purpose); await load(); } catch (x) { setMsg(showProblem(x).form); }
                }}>{t('web.dashboard.withdraw', { purpose: purposeName(c.purpose) })}</Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function DataExport({ customerId }: { customerId: string }) {
  const [msg, setMsg] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  return (
    <Card id="export" title={t('web.dashboard.export')}>
      <p>{t('web.dashboard.export_body')}</p>
      {msg && <Alert kind={msg.kind}>{msg.text}</Alert>}
      <Button kind="secondary" name="export" onClick={async () => {
        try {
          const data = await api.exportData(customerId);
          const a = document.createElement('a');
          a.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
          a.download = `enroll-export-${customerId}.json`;
          a.click();
          setMsg({ kind: 'success', text: t('web.dashboard.export_done') });
        } catch (x) {
          setMsg({ kind: 'error', text: showProblem(x).form ?? t('web.error.generic') });
        }
      }}>{t('web.dashboard.export_button')}</Button>
    </Card>
  );
}

function DeleteAccount({ customerId, onDeleted }: { customerId: string; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <Card id="delete" title={t('web.dashboard.delete')}>
      <p>{t('web.dashboard.delete_body')}</p>
      {msg && <Alert>{msg}</Alert>}
      {confirming ? (
        <div class="actions">
          <Button kind="danger" name="delete-confirm" onClick={async () => {
            try { await api.deleteAccount(customerId); onDeleted(); } catch (x) { setMsg(showProblem(x).form); }
          }}>{t('web.dashboard.delete_confirm')}</Button>
          <Button kind="secondary" onClick={() => setConfirming(false)}>{t('web.dashboard.cancel')}</Button>
        </div>
      ) : <Button kind="danger" name="delete" onClick={() => setConfirming(true)}>{t('web.dashboard.delete_button')}</Button>}
    </Card>
  );
}
