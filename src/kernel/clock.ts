/** Time is a port so expiry rules can be tested without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can move forward. */
export function createManualClock(start = new Date()) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    /** Jump to a moment (forward or back), like Stripe's test clocks. */
    set(at: Date) {
      t = at.getTime();
    },
  };
}
