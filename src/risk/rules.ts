/**
 * The default rule set: every reason code a rule can give, with the score it
 * adds. Config (RISK_SCORES) may override any score; 0 turns a rule off. The
 * codes are stable: they are stored with enrollments and in audit rows.
 */
export const DEFAULT_SCORES = {
  /** Manual blocklist hit (email, domain or IP): always deny, whatever the score. */
  blocklisted: 100,
  /** Manual allowlist hit: always allow (unless also blocklisted). Scores nothing. */
  allowlisted: 0,
  /** The email's domain (or a wildcard root of it) is a known throwaway-mail provider. */
  email_disposable: 40,
  /** Too many other enrollments from one IP / email / device / card within the sliding window. */
  velocity_ip: 20,
  velocity_email: 30,
  velocity_device: 30,
  velocity_card: 40,
  /** A trial was already taken with this card or this (canonical) email. */
  trial_card_reused: 60,
  trial_email_reused: 60,
  /** Where the request comes from, the phone's country and the card's issuing country disagree. */
  country_mismatch_ip_phone: 15,
  country_mismatch_ip_card: 20,
  country_mismatch_phone_card: 15,
  /** Bot signals: the profile arrived sooner than a human can type it; a headless browser's user agent. */
  bot_form_too_fast: 20,
  bot_headless_ua: 50,
} as const;

export type ReasonCode = keyof typeof DEFAULT_SCORES;
export const REASON_CODES = Object.keys(DEFAULT_SCORES) as ReasonCode[];

/** Velocity is counted per signal kind over a sliding window. */
export const VELOCITY_KINDS = ['ip', 'email', 'device', 'card'] as const;
export type VelocityKind = (typeof VELOCITY_KINDS)[number];

/** Fires once `max` OTHER enrollments used the same value within the last `windowSeconds`. */
export const DEFAULT_VELOCITY: Record<VelocityKind, { max: number; windowSeconds: number }> = {
  // Carrier NAT and offices put many honest people behind one IP: a high bar, and a weak score.
  ip: { max: 10, windowSeconds: 3600 },
  email: { max: 3, windowSeconds: 24 * 3600 },
  device: { max: 3, windowSeconds: 24 * 3600 },
  card: { max: 3, windowSeconds: 24 * 3600 },
};

export type Decision = 'allow' | 'challenge' | 'review' | 'deny';

export interface Reason {
  code: ReasonCode;
  score: number;
}

/** Browsers driven by scripts announce themselves more often than one would think. */
export const HEADLESS_UA = /HeadlessChrome|PhantomJS|SlimerJS|HtmlUnit|Puppeteer|Playwright|Selenium|WebDriver/i;
