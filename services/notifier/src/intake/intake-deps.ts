import type { EffectContext } from '@wallet-guard/messaging';
import type { Channel } from '../channels/channel';
import { type DeliveryDeps, type DeliveryRequest, deliver } from '../deliveries/deliver';
import type { Renderer } from '../messages';
import type { AuthClient } from './recipients';

/** What both consumers need: where messages go, how they are written, and auth for addresses. */
export interface IntakeDeps extends DeliveryDeps {
  channels: readonly Channel[];
  renderer: Renderer;
  auth: AuthClient;
  /** Events older than this are not delivered (seconds). */
  maxEventAgeSeconds: number;
}

/**
 * The last instant a message may still go out: its link's expiry, and never later than
 * `maxEventAgeSeconds` after the event.
 */
export function deliverableUntil(deps: IntakeDeps, occurredAt: string, linkExpiresAt?: Date): Date {
  const byAge = Date.parse(occurredAt) + deps.maxEventAgeSeconds * 1000;
  return new Date(Math.min(byAge, linkExpiresAt?.getTime() ?? Number.POSITIVE_INFINITY));
}

/**
 * Sends one message on every configured channel, side by side: a mail server that is down does
 * not hold back the webhook. Returns, or throws the first channel's error, only once every
 * channel has settled: a channel still at work when its sibling failed would otherwise go on
 * beside the retry of the same event and send twice.
 */
export async function deliverEverywhere(
  deps: IntakeDeps,
  request: DeliveryRequest,
  context: EffectContext,
): Promise<void> {
  const settled = await Promise.allSettled(deps.channels.map((channel) => deliver(deps, channel, request, context)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}
