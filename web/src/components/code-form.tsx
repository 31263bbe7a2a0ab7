import type { ComponentChildren } from 'preact';
import { t } from '../lib/i18n';
import { useCodeEntry, useResend } from './code-entry';
import { Alert, Button, useHeadingFocus } from './ui';

/**
 * A six-digit code screen: its heading (focused on arrival), what was sent where, the code, verify, and, when
 * given, resend (waiting as long as the server says) and a way back. The enrollment's email code, its SMS second
 * factor and the dashboard's step-up codes (authenticator app, email) are this one form.
 */
export function CodeForm(props: {
  name: string; title: string; lead: ComponentChildren; submit: (code: string) => Promise<void>; own?: Record<string, string>;
  resend?: () => Promise<unknown>; wait?: number; onBack: () => void; backLabel: string; backName?: string; level?: 1 | 3;
}) {
  const heading = useHeadingFocus();
  const entry = useCodeEntry(props.submit, props.own);
  const again = useResend(props.resend ?? (async () => null), entry, props.wait ?? 0);
  const H = props.level === 3 ? 'h3' : 'h1';
  const title = `${props.name}-title`;

  return (
    <form class="stack" noValidate aria-labelledby={title} onSubmit={(ev) => { ev.preventDefault(); void entry.verify(entry.code); }}>
      <H id={title} tabIndex={-1} ref={heading}>{props.title}</H>
      <p class="lead">{props.lead}</p>
      {entry.form && <Alert>{entry.form}</Alert>}
      {again.resent && <Alert kind="info">{t('web.code.resent')}</Alert>}
      {entry.field}
      <div class="actions">
        <Button type="submit" busy={entry.busy} name={`${props.name}-verify`}>{t('web.code.verify')}</Button>
        {props.resend && (
          <Button kind="link" name={`${props.name}-resend`} onClick={again.resend} unavailable={again.wait > 0} describedBy={again.wait > 0 ? 'resend-wait' : undefined}>{t('web.code.resend')}</Button>
        )}
        <Button kind="link" name={props.backName ?? 'factor-back'} onClick={props.onBack}>{props.backLabel}</Button>
      </div>
      {again.wait > 0 && <p class="hint" id="resend-wait" role="status">{t('web.code.resend_wait', { seconds: again.wait })}</p>}
    </form>
  );
}
