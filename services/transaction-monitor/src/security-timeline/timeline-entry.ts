import type { SecurityEvent } from '@wallet-guard/contracts';

/** One auth security event as the monitor keeps it: enough to score and to show an agent. */
export interface TimelineEntry {
  eventId: string;
  accountId: string;
  type: SecurityEvent['type'] | string;
  /** Epoch ms (auth's clock). */
  at: number;
  ip: string | null;
  deviceId: string | null;
  country: string | null;
  newDevice: boolean | null;
  newIp: boolean | null;
}

export function toTimelineEntry(event: SecurityEvent): TimelineEntry {
  const context = event.payload.context;
  const signIn = event.type === 'sign_in.succeeded' ? event.payload : null;
  return {
    eventId: event.eventId,
    accountId: event.accountId.toLowerCase(),
    type: event.type,
    at: Date.parse(event.occurredAt),
    ip: context.ip ?? null,
    deviceId: context.deviceId ?? null,
    country: context.country ?? null,
    newDevice: signIn ? signIn.newDevice : null,
    newIp: signIn ? signIn.newIp : null,
  };
}
