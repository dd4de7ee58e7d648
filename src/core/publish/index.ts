/** Publishing: channels, the ledger, the schedule policy. No VS Code here. */
export * from './errors';
export * from './secrets';
export * from './retry';
export type { Adapter, AdapterEnv, PartToSend, SentPart, SendContext } from './adapter';
export {
  readLedger,
  sweepOrphanTemps,
  setTopLevel,
  setIntent,
  recordPublished,
  addLintOverride,
  writeFileAtomic,
  updateLedger,
} from './ledger';
export type { Intent, LedgerEntry, LedgerState } from './ledger';
export { acquireLock, lockPath } from './lock';
export {
  publishPost,
  planPublish,
  postChannels,
  resolveChannel,
  createAdapter,
  contentHash,
  postSlug,
  DEFAULT_OUTBOX,
  secretKeyFor,
  secretLabel,
} from './publisher';
export { hostKey, baseUrl } from './http';
export type { PublishOptions, PublishReport, ChannelPlan, ChannelResult, ChannelOutcome, ChannelState, PlannedPart } from './publisher';
export { dueDecision, recentPerChannel } from './schedule';
export type { DueDecision, DueState } from './schedule';
export { setPaused } from './pause';
export { recordKey, tid } from './channels/rkey';
export { mastodonLength } from '../platforms';
export { webhookStyle, webhookPayload } from './channels/webhook';
export { atomFromFeed } from './channels/feed';
