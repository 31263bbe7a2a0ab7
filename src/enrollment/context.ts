import type { AuditEvent } from '../audit/index.js';
import type { ClientSignals } from '../risk/index.js';

/** Who is acting, through which channel, for which request: threaded into every audit row. */
export interface FlowContext {
  requestId?: string;
  actor: AuditEvent['actor'];
  channel: string;
  now: Date;
  /** The customer's own client (IP, trusted IP country, user agent, device id); absent for server-to-server channels. */
  client?: ClientSignals;
  /** The browser's Origin header, when it sent one: a 3-D Secure challenge reports back to it if it is one of the app's origins. */
  origin?: string;
}
