import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { TotpSetup } from '../api/types';
import { useCodeEntry } from '../components/code-entry';
import { Alert, Button, useHeadingFocus } from '../components/ui';
import { t } from '../lib/i18n';
import { showProblem } from '../lib/problems';

/** The base32 secret in groups of four, as authenticator apps print it: easier to type without losing one's place. */
export const groupedSecret = (uri: string) => (new URL(uri).searchParams.get('secret') ?? '').replace(/(.{4})(?=.)/g, '$1 ');

/**
 * Authenticator app: the server mints a pending factor and renders its QR code (so no QR library is shipped and
 * no third party ever sees the secret); the key is also shown as text for typing in by hand. The first correct
 * code activates the factor, which is the proof the risk decision asked for.
 */
export function TotpFactor({ id, onDone, onBack }: { id: string; onDone: () => void; onBack: () => void }) {
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const heading = useHeadingFocus();
  const started = useRef(false);
  const entry = useCodeEntry(async (code) => {
    await api.confirmTotp(id, code, setup!.factor_id);
    onDone();
  });

  useEffect(() => {
    // Each setup mints a new secret (superseding the last): once per visit to this screen.
    if (started.current) return;
    started.current = true;
    api.setupTotp(id).then(setSetup, (x) => setFailed(showProblem(x).form ?? t('web.error.generic')));
  }, [id]);

  return (
    <form class="stack" noValidate aria-labelledby="totp-title" onSubmit={(ev) => { ev.preventDefault(); if (setup) void entry.verify(entry.code); }}>
      <h1 id="totp-title" tabIndex={-1} ref={heading}>{t('web.totp.title')}</h1>
      {failed && <Alert>{failed}</Alert>}
      {!setup && !failed && <p class="loading" aria-live="polite">{t('web.app.loading')}</p>}
      {setup && (
        <>
          <ol class="totp-steps">
            <li>
              <p>{t('web.totp.scan')}</p>
              <img class="qr" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qr_svg)}`} alt={t('web.totp.qr_alt')} width={200} height={200} />
            </li>
            <li>
              <p>{t('web.totp.manual')}</p>
              <code class="secret" id="totp-secret" dir="ltr">{groupedSecret(setup.otpauth_uri)}</code>
            </li>
            <li><p>{t('web.totp.enter')}</p></li>
          </ol>
          {entry.form && <Alert>{entry.form}</Alert>}
          {entry.field}
        </>
      )}
      <div class="actions">
        {setup && <Button type="submit" busy={entry.busy} name="totp-verify">{t('web.code.verify')}</Button>}
        <Button kind="link" name="factor-back" onClick={onBack}>{t('web.factor.other')}</Button>
      </div>
    </form>
  );
}
