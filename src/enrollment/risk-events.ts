import type { AuditEvent } from '../audit/index.js';
import { assessedEvent, type RiskStage, type StoredRisk } from '../risk/index.js';
import type { FlowContext } from './context.js';

/** The `risk.assessed` audit event: stage, score, decision and reason codes; written with the change it caused. */
export function riskAssessedEvent(stage: RiskStage, risk: StoredRisk, enrollmentId: string, ctx: FlowContext): AuditEvent {
  return {
    action: 'risk.assessed',
    actor: ctx.actor,
    channel: ctx.channel,
    requestId: ctx.requestId,
    subject: { type: 'enrollment', id: enrollmentId },
    data: assessedEvent(stage, risk),
  };
}
