import type { ComponentChildren } from 'preact';
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
