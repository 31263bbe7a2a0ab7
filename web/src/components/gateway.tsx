import { useEffect, useRef, useState } from 'preact/hooks';
import { currentLocale, t } from '../lib/i18n';

export interface CardToken { token: string; card: { brand: string; last4: string; exp_month: number; exp_year: number } }
export interface CardFrameHandle { submit: () => Promise<CardToken> }

type GatewayMessage =
  | { type: 'enroll-gateway:ready' }
  | { type: 'enroll-gateway:resize'; height: number }
  | { type: 'enroll-gateway:token'; token: string; card: CardToken['card'] }
  | { type: 'enroll-gateway:error'; code: string; fields?: Record<string, string[]> }
  // 'expired': the challenge outlived its deadline unanswered; the caller asks its server, which says so.
  | { type: 'enroll-gateway:challenge-complete'; challenge_id: string; outcome: ChallengeOutcome };

export type ChallengeOutcome = 'succeeded' | 'failed' | 'expired';

/** Messages from the gateway's frame, and only from its origin and that very frame: anything else is ignored. */
function useGatewayMessages(origin: string, frame: { current: HTMLIFrameElement | null }, on: (m: GatewayMessage) => void) {
  const handler = useRef(on);
  handler.current = on;
  useEffect(() => {
    const listener = (e: MessageEvent) => {
      if (e.origin !== origin || e.source !== frame.current?.contentWindow) return;
      const m = e.data as GatewayMessage;
      if (m && typeof m === 'object' && typeof m.type === 'string' && m.type.startsWith('enroll-gateway:')) handler.current(m);
    };
    addEventListener('message', listener);
    return () => removeEventListener('message', listener);
  }, [origin]);
}

/**
 * The gateway's hosted card fields, in an iframe on the gateway's own origin: the card number is typed into
 * and tokenized by that origin, and this page only ever receives a token.
 */
export function CardFrame(props: { gatewayOrigin: string; handle: { current: CardFrameHandle | null }; error?: string | null; onError: (code: string) => void }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(170);
  const [ready, setReady] = useState(false);
  const pending = useRef<{ resolve: (v: CardToken) => void; reject: (e: Error) => void } | null>(null);
  const src = `${props.gatewayOrigin}/sandbox-gateway/hosted/card-fields?parent_origin=${encodeURIComponent(location.origin)}&locale=${encodeURIComponent(currentLocale())}`;

  useGatewayMessages(props.gatewayOrigin, frame, (m) => {
    if (m.type === 'enroll-gateway:ready') setReady(true);
    else if (m.type === 'enroll-gateway:resize' && Number.isFinite(m.height)) setHeight(Math.min(Math.max(m.height, 80), 600));
    else if (m.type === 'enroll-gateway:token') {
      pending.current?.resolve({ token: m.token, card: m.card });
      pending.current = null;
    } else if (m.type === 'enroll-gateway:error') {
      props.onError(m.code);
      pending.current?.reject(new Error(m.code));
      pending.current = null;
    }
  });

  props.handle.current = {
    submit: () =>
      new Promise<CardToken>((resolve, reject) => {
        pending.current = { resolve, reject };
        frame.current?.contentWindow?.postMessage({ type: 'enroll-gateway:submit' }, props.gatewayOrigin);
      }),
  };

  return (
    <div class={`card-frame${props.error ? ' has-error' : ''}`}>
      {!ready && <p class="hint" aria-live="polite">{t('web.payment.loading')}</p>}
      <iframe ref={frame} src={src} title={t('web.payment.frame_title')} height={height} class={ready ? 'ready' : 'loading'} />
      {props.error && <p class="error" id="f-card-err" role="alert">{props.error}</p>}
    </div>
  );
}

/** A 3-D Secure challenge: the issuer's page in the gateway's frame, in a modal dialog. */
export function ChallengeFrame(props: { gatewayOrigin: string; url: string; onDone: (outcome: ChallengeOutcome) => void }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const [height, setHeight] = useState(320);
  useGatewayMessages(props.gatewayOrigin, frame, (m) => {
    if (m.type === 'enroll-gateway:resize' && Number.isFinite(m.height)) setHeight(Math.min(Math.max(m.height, 120), 700));
    if (m.type === 'enroll-gateway:challenge-complete') props.onDone(m.outcome);
  });
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  // Only a URL on the gateway's origin is framed (the CSP's frame-src says the same).
  const safe = new URL(props.url, location.href).origin === props.gatewayOrigin;
  return (
    <dialog ref={dialog} class="challenge" aria-labelledby="challenge-title" onCancel={(e) => e.preventDefault()}>
      <h2 id="challenge-title">{t('web.challenge.title')}</h2>
      {safe && <iframe ref={frame} src={props.url} title={t('web.challenge.frame_title')} height={height} />}
    </dialog>
  );
}
