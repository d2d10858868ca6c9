export { backoffDelay, sleep } from './backoff';
export { createEventBus, type EventBus } from './bus';
export { commitThenDeliver } from './commit-then-deliver';
export {
  type EffectContext,
  type EffectHandler,
  type EventHandler,
  PermanentError,
} from './handler';
export { pruneMessaging } from './housekeeping';
export { ensureTopics } from './kafka';
export { enqueueEvent, enqueueEvents, type OutboxMessage } from './outbox';
