import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { problemMessage, showProblem } from '../lib/problems';
import { sendOrWait } from './code-entry';
import { Button } from './ui';

/** The factors a server listed that this app can offer, in the app's order of strength (strongest first). */
export const byStrength = <F extends string>(strength: readonly F[], listed: readonly string[] | undefined): F[] => strength.filter((f) => listed?.includes(f));

/** One way to prove it is you: a button (primary for the strongest usable one) and its hint, tied together for screen readers. */
export function FactorOption(props: { factor: string; name: string; label: ComponentChildren; hint: ComponentChildren; primary: boolean; busy: boolean; disabled: boolean; onClick: () => void }) {
  return (
    <li class="factor">
      <Button kind={props.primary ? 'primary' : 'secondary'} name={props.name} onClick={props.onClick} busy={props.busy} disabled={props.disabled} describedBy={`factor-${props.factor}-hint`}>
        {props.label}
      </Button>
      <p class="hint" id={`factor-${props.factor}-hint`}>{props.hint}</p>
    </li>
  );
}

/**
 * The state of a "prove it is you" choice, one mechanism for the enrollment's second factor and the dashboard's
 * step-up: the factor chosen (its own screen) or none (the list, whose heading takes focus on arrival and on coming
 * back), the one busy, the error said above the list, and the strongest usable one (a passkey needs WebAuthn).
 */
export function useFactorChoice<F extends string>(offered: readonly F[]) {
  const [chosen, setChosen] = useState<F | null>(null);
  const [busy, setBusy] = useState<F | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [wait, setWait] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const passkeySupported = typeof window.PublicKeyCredential === 'function';
  const primary = offered.find((f) => f !== 'passkey' || passkeySupported);

  // In the commit that shows the list, not a frame later (see useHeadingFocus).
  useLayoutEffect(() => {
    if (chosen === null) heading.current?.focus();
  }, [chosen]);

  const choose = (f: F | null) => {
    setError(null);
    setChosen(f);
  };

  /** `f` busy while `work` runs; a failure is said above the list, as `message` words it. */
  async function attempt(f: F, work: () => Promise<void>, message: (x: unknown) => string | null) {
    setBusy(f);
    setError(null);
    try {
      await work();
    } catch (x) {
      setError(message(x));
    } finally {
      setBusy(null);
    }
  }

  /**
   * A code factor: send the code, then open its screen with the resend wait the server gave. A refusal (not a
   * mobile, a country not served, a stronger factor held) is about this choice, so it is said here, in the server's words.
   */
  const sendThenChoose = (f: F, send: () => Promise<unknown>) =>
    attempt(f, async () => {
      setWait(await sendOrWait(send));
      choose(f);
    }, (x) => (x instanceof ApiError ? problemMessage(x.problem) : showProblem(x).form));

  return { chosen, choose, busy, error, wait, heading, passkeySupported, primary, attempt, sendThenChoose };
}
