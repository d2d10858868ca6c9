import { z } from 'zod';

/** Services that produce events. */
export const PRODUCERS = ['auth', 'transaction-monitor', 'support-cases', 'wallet'] as const;
export const producer = z.enum(PRODUCERS);
export type Producer = z.infer<typeof producer>;

/** ISO 8601 instant with an offset, e.g. 2026-11-23T10:00:00.000Z. */
export const isoDateTime = z.iso.datetime({ offset: true });

/** Account ids are UUIDs issued by auth (the wallet's own ids map to them). */
export const accountId = z.uuid();

/**
 * The envelope every event travels in. `eventId` is what consumers deduplicate on; `version`
 * belongs to the `type` (a consumer reading v1 keeps working when v2 appears alongside).
 */
export const envelope = <TType extends string, TVersion extends number, TPayload extends z.ZodType>(
  type: TType,
  version: TVersion,
  payload: TPayload,
) =>
  z.object({
    eventId: z.uuid(),
    type: z.literal(type),
    version: z.literal(version),
    occurredAt: isoDateTime,
    producer,
    accountId,
    payload,
  });

/** The shape every event shares, without knowing its payload: what a dead-letter reader sees. */
export const anyEnvelope = z.object({
  eventId: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: isoDateTime,
  producer,
  accountId,
  payload: z.unknown(),
});
export type AnyEnvelope = z.infer<typeof anyEnvelope>;

/** Context the wallet backend forwards about its end user (all optional). */
export const clientContext = z.object({
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  userAgent: z.string().max(512).optional(),
  deviceId: z.string().min(1).max(128).optional(),
  /** ISO 3166-1 alpha-2, when the wallet knows it (from IP geolocation or the device). */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});
export type ClientContext = z.infer<typeof clientContext>;
