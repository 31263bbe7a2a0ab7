export type { DisputeAgent, DisputeDecision, DisputeAction, DisputeFacts, EvidencePack } from './dispute-agent.js';
export { createRulesDisputeAgent, type DisputeRules } from './adapters/rules.js';
export { assembleEvidence, stripeEvidence } from './assemble-evidence.js';
export { respondToDisputeHandler } from './respond-to-dispute.js';
