import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { t } from '../lib/i18n';

/** One labelled input; its error (from inline validation or the server's `fields`) sits right under it. */
export function Field(props: {
  name: string; label: string; value: string; onInput: (v: string) => void; error?: string | null; type?: 'text' | 'email' | 'tel';
  autoComplete?: string; inputMode?: 'numeric' | 'email' | 'tel' | 'text'; hint?: string; required?: boolean; dir?: 'ltr' | 'auto'; maxLength?: number;
}) {
  const id = `f-${props.name}`;
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${props.error ? ' has-error' : ''}`}>
      <label for={id}>{props.label}</label>
      <input
        {...({
          id, name: props.name, type: props.type ?? 'text', value: props.value, autoComplete: props.autoComplete, inputMode: props.inputMode,
          required: props.required, 'aria-invalid': props.error ? 'true' : undefined, 'aria-describedby': described, dir: props.dir, maxLength: props.maxLength,
        } as JSX.IntrinsicElements['input'])}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {props.hint && <p class="hint" id={`${id}-hint`}>{props.hint}</p>}
      {props.error && <p class="error" id={`${id}-err`} role="alert">{props.error}</p>}
    </div>
  );
}

export function Alert({ children, kind = 'error' }: { children: ComponentChildren; kind?: 'error' | 'info' | 'success' }) {
  return <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{children}</div>;
}

export function Button(props: { children: ComponentChildren; onClick?: () => void; type?: 'button' | 'submit'; kind?: 'primary' | 'secondary' | 'link' | 'danger'; busy?: boolean; disabled?: boolean; name?: string; describedBy?: string; unavailable?: boolean }) {
  return (
    <button type={props.type ?? 'button'} name={props.name} class={`btn btn-${props.kind ?? 'primary'}`} onClick={props.onClick} disabled={props.disabled || props.busy} aria-busy={props.busy ? 'true' : undefined} aria-describedby={props.describedBy} aria-disabled={props.unavailable ? 'true' : undefined}>
      {props.busy && <span class="spinner" aria-hidden="true" />}
      {props.children}
    </button>
  );
}

/**
 * Moves focus to a screen's heading when it appears, so keyboard and screen-reader users land where the page changed.
 * A layout effect, in the same commit as the heading: a passive effect waits for the next frame, and until then focus
 * sits on the button that was just removed (the body), where a quick Tab or a screen reader would start from the top.
 */
export function useHeadingFocus() {
  const ref = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => ref.current?.focus(), []);
  return ref;
}

export const STEP_KEYS = ['plan', 'account', 'confirm', 'payment', 'done'] as const;
export type UiStep = (typeof STEP_KEYS)[number];

/**
 * Where the customer is, always visible: a list for screen readers, a bar for the eye. A card-less trial has no
 * payment step, so its path is one step shorter (its start-trial screen belongs to Confirm).
 */
export function Progress({ step, cardless = false }: { step: UiStep; cardless?: boolean }) {
  const keys: readonly UiStep[] = cardless ? STEP_KEYS.filter((s) => s !== 'payment') : STEP_KEYS;
  const current = cardless && step === 'payment' ? 'confirm' : step;
  const at = keys.indexOf(current);
  return (
    <nav class="progress" aria-label={t('web.progress.label')}>
      <ol>
        {keys.map((s, i) => (
          <li key={s} class={i < at ? 'done' : i === at ? 'current' : ''} aria-current={i === at ? 'step' : undefined}>
            <span class="dot" aria-hidden="true">{i < at ? '✓' : i + 1}</span>
            <span class="name">{t(`web.step.${s}`)}</span>
          </li>
        ))}
      </ol>
      <p class="sr-only">{t('web.progress.step', { current: at + 1, total: keys.length, name: t(`web.step.${current}`) })}</p>
    </nav>
  );
}
