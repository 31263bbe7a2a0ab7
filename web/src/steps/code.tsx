import { api } from '../api/client';
import type { Enrollment } from '../api/types';
import { useCodeEntry, useResend } from '../components/code-entry';
import { Alert, Button } from '../components/ui';
import { t } from '../lib/i18n';

/** The emailed one-time code: it proves the address is theirs before any passkey is bound to it. */
export function CodeStep({ e, onDone, onEditProfile }: { e: Enrollment; onDone: (e: Enrollment) => void; onEditProfile: () => void }) {
  const entry = useCodeEntry(async (code) => onDone(await api.confirmCode(e.id, code)));
  const again = useResend(() => api.sendCode(e.id), entry);

  return (
    <form class="stack" noValidate onSubmit={(ev) => { ev.preventDefault(); void entry.verify(entry.code); }}>
      <h1 tabIndex={-1}>{t('web.code.title')}</h1>
      <p class="lead">{t('web.code.sent', { email: e.profile?.email ?? '' })}</p>
      {entry.form && <Alert>{entry.form}</Alert>}
      {again.resent && <Alert kind="info">{t('web.code.resent')}</Alert>}
      {entry.field}
      <div class="actions">
        <Button type="submit" busy={entry.busy} name="code-verify">{t('web.code.verify')}</Button>
        <Button kind="link" onClick={again.resend} unavailable={again.wait > 0} describedBy={again.wait > 0 ? 'resend-wait' : undefined}>{t('web.code.resend')}</Button>
        <Button kind="link" onClick={onEditProfile}>{t('web.code.change_email')}</Button>
      </div>
      {again.wait > 0 && <p class="hint" id="resend-wait">{t('web.code.resend_wait', { seconds: again.wait })}</p>}
    </form>
  );
}
