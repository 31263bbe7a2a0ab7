import { api } from '../api/client';
import { CodeForm } from '../components/code-form';
import { withPhone } from '../components/isolated';
import { t } from '../lib/i18n';

/** An SMS code to the profile's phone (already sent when this screen opens); resending waits as long as the server says. */
export function SmsFactor({ id, phone, wait = 0, onDone, onBack }: { id: string; phone: string; wait?: number; onDone: () => void; onBack: () => void }) {
  return (
    <CodeForm name="sms" title={t('web.sms.title')} lead={withPhone('web.sms.sent', phone)} own={{ identity_code_invalid: 'web.sms.code_invalid' }}
      submit={async (code) => { await api.confirmCode(id, code); onDone(); }} resend={() => api.sendCode(id, 'sms')} wait={wait}
      onBack={onBack} backLabel={t('web.factor.other')} />
  );
}
