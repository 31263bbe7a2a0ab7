import type { AuditEvent } from '../audit/index.js';

/** Who is acting, through which channel, for which request: threaded into every audit row. */
export interface FlowContext {
  requestId?: string;
  actor: AuditEvent['actor'];
  channel: string;
  now: Date;
}
