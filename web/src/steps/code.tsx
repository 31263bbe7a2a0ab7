import { api } from '../api/client';
import type { Enrollment } from '../api/types';
import { CodeForm } from '../components/code-form';
import { t } from '../lib/i18n';
import { withEmail } from '../components/isolated';

/** The emailed one-time code: it proves the address is theirs before any passkey is bound to it. */
export function CodeStep({ e, onDone, onEditProfile }: { e: Enrollment; onDone: (e: Enrollment) => void; onEditProfile: () => void }) {
  return (
    <CodeForm name="code" title={t('web.code.title')} lead={withEmail('web.code.sent', e.profile?.email ?? '')}
      submit={async (code) => onDone(await api.confirmCode(e.id, code))} resend={() => api.sendCode(e.id)}
      onBack={onEditProfile} backLabel={t('web.code.change_email')} backName="code-change-email" />
  );
}
