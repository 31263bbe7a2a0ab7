/**
 * The enrollment state machine: the ONE table of legal moves. advance() is the
 * only writer of `state`, and it consults nothing but this table, so the
 * diagram in docs/enrollment-states.md (kept in sync by a test) is the truth.
 */
export const STATES = ['started', 'profile_completed', 'verified', 'plan_selected', 'payment_attached', 'pending_review', 'completed', 'rejected'] as const;
export type State = (typeof STATES)[number];

export const EVENTS = [
  'submit_profile', 'verify_email', 'attest_email', 'select_plan', 'attach_payment', 'decline_payment', 'complete',
  'hold_for_review', 'approve_review', 'reject_review', 'deny', 'skip_payment', 'require_payment',
] as const;
export type Event = (typeof EVENTS)[number];

/** Steps as the client sees them. */
export const STEPS = ['profile', 'verification', 'plan', 'payment', 'complete'] as const;
export type Step = (typeof STEPS)[number];

export const TRANSITIONS: ReadonlyArray<readonly [from: State, event: Event, to: State]> = [
  ['started', 'submit_profile', 'profile_completed'],
  // Editing the profile before verification is allowed; a changed address needs a fresh code.
  ['profile_completed', 'submit_profile', 'profile_completed'],
  ['profile_completed', 'verify_email', 'verified'],
  // A channel whose policy trusts its own email verification (a partner attesting it).
  ['profile_completed', 'attest_email', 'verified'],
  ['verified', 'select_plan', 'plan_selected'],
  ['plan_selected', 'select_plan', 'plan_selected'],
  // Changing plan at the payment step keeps the card: never ask twice for what was given.
  ['payment_attached', 'select_plan', 'payment_attached'],
  ['plan_selected', 'attach_payment', 'payment_attached'],
  // A trial plan that needs no card: the payment step is skipped (a card may still be given, and is then kept).
  ['plan_selected', 'skip_payment', 'payment_attached'],
  // Switched from such a plan to one that needs a card, with none given: back to the payment step.
  ['payment_attached', 'require_payment', 'plan_selected'],
  ['payment_attached', 'attach_payment', 'payment_attached'],
  // A declined card is detached so the customer can try another one.
  ['payment_attached', 'decline_payment', 'plan_selected'],
  ['payment_attached', 'complete', 'completed'],
  // Risk: a review holds the enrollment at completion, BEFORE any charge; an admin approves (back to where it
  // was, so the customer completes) or rejects (terminal).
  ['payment_attached', 'hold_for_review', 'pending_review'],
  ['pending_review', 'approve_review', 'payment_attached'],
  ['pending_review', 'reject_review', 'rejected'],
  // Risk: a deny ends the enrollment where it stands; nothing is created and nothing is charged.
  ['started', 'deny', 'rejected'],
  ['profile_completed', 'deny', 'rejected'],
  ['payment_attached', 'deny', 'rejected'],
];

/** Which step each event belongs to, for `next` and for problem bodies. */
const EVENT_STEP: Record<Event, Step | null> = {
  submit_profile: 'profile',
  verify_email: 'verification',
  attest_email: null,
  select_plan: 'plan',
  attach_payment: 'payment',
  decline_payment: null,
  complete: 'complete',
  hold_for_review: null,
  approve_review: null,
  reject_review: null,
  deny: null,
  skip_payment: null,
  require_payment: null,
};

export function transition(from: State, event: Event): State | undefined {
  return TRANSITIONS.find(([f, e]) => f === from && e === event)?.[2];
}

export function allowedEvents(from: State): Event[] {
  return TRANSITIONS.filter(([f]) => f === from).map(([, e]) => e);
}

/** The steps a client may take next from this state, in flow order. */
export function nextSteps(from: State): Step[] {
  const steps = new Set(allowedEvents(from).map((e) => EVENT_STEP[e]).filter((s): s is Step => s !== null));
  return STEPS.filter((s) => steps.has(s));
}

const DONE_AFTER: Record<Step, State[]> = {
  profile: ['profile_completed', 'verified', 'plan_selected', 'payment_attached', 'pending_review', 'completed'],
  verification: ['verified', 'plan_selected', 'payment_attached', 'pending_review', 'completed'],
  plan: ['plan_selected', 'payment_attached', 'pending_review', 'completed'],
  payment: ['payment_attached', 'pending_review', 'completed'],
  complete: ['completed'],
};

/**
 * Open with a profile: where a second factor (authenticator app, SMS code) may be added or proven. Not
 * pending_review: a held enrollment waits for a reviewer, not for the customer.
 */
export const OPEN_WITH_PROFILE: readonly State[] = ['profile_completed', 'verified', 'plan_selected', 'payment_attached'];

/** States in which nothing more happens: the flow is over (a completed one keeps its result). */
export const FINAL_STATES: readonly State[] = ['completed', 'rejected'];

export function stepStatus(state: State): Record<Step, 'complete' | 'pending'> {
  return Object.fromEntries(STEPS.map((s) => [s, DONE_AFTER[s].includes(state) ? 'complete' : 'pending'])) as Record<Step, 'complete' | 'pending'>;
}
