import { api } from '../api/client';
import { useCodeEntry, useResend } from '../components/code-entry';
import { withPhone } from '../components/masked-phone';
import { Alert, Button, useHeadingFocus } from '../components/ui';
import { t } from '../lib/i18n';

/** An SMS code to the profile's phone (already sent when this screen opens); resending waits as long as the server says. */
export function SmsFactor({ id, phone, wait = 0, onDone, onBack }: { id: string; phone: string; wait?: number; onDone: () => void; onBack: () => void }) {
  const heading = useHeadingFocus();
  const entry = useCodeEntry(async (code) => {
    await api.confirmCode(id, code);
    onDone();
  }, { identity_code_invalid: 'web.sms.code_invalid' });
  const again = useResend(() => api.sendCode(id, 'sms'), entry, wait);

  return (
    <form class="stack" noValidate aria-labelledby="sms-title" onSubmit={(ev) => { ev.preventDefault(); void entry.verify(entry.code); }}>
      <h1 id="sms-title" tabIndex={-1} ref={heading}>{t('web.sms.title')}</h1>
      <p class="lead">{withPhone('web.sms.sent', phone)}</p>
      {entry.form && <Alert>{entry.form}</Alert>}
      {again.resent && <Alert kind="info">{t('web.code.resent')}</Alert>}
      {entry.field}
      <div class="actions">
        <Button type="submit" busy={entry.busy} name="sms-verify">{t('web.code.verify')}</Button>
        <Button kind="link" name="sms-resend" onClick={again.resend} unavailable={again.wait > 0} describedBy={again.wait > 0 ? 'resend-wait' : undefined}>{t('web.code.resend')}</Button>
        <Button kind="link" name="factor-back" onClick={onBack}>{t('web.factor.other')}</Button>
      </div>
      {again.wait > 0 && <p class="hint" id="resend-wait">{t('web.code.resend_wait', { seconds: again.wait })}</p>}
    </form>
  );
}
