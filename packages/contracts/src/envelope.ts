import { z } from 'zod';
import { INSTANT_RANGE, isInstantInRange, isoDateTime } from './instant';
import { ipAddress } from './ip-address';

/** Services that produce events. */
export const PRODUCERS = ['auth', 'transaction-monitor', 'support-cases', 'wallet'] as const;
export const producer = z.enum(PRODUCERS);
export type Producer = z.infer<typeof producer>;

/** ISO 8601 instant with an offset, within `INSTANT_RANGE` (see ./instant). */
export { INSTANT_RANGE, isInstantInRange, isoDateTime };

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
  /** Canonical text (see `canonicalIp`): every spelling of one address arrives as one string. */
  ip: ipAddress.optional(),
  userAgent: z.string().max(512).optional(),
  /** Opaque to us and compared exactly, so surrounding white space is dropped at the boundary. */
  deviceId: z.string().trim().min(1).max(128).optional(),
  /** ISO 3166-1 alpha-2, when the wallet knows it (from IP geolocation or the device). */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  /**
   * Where the request came from in WGS 84 degrees, when the wallet knows it (IP geolocation or the
   * device), spelled as in a transaction's context: auth's impossible-travel signal compares it with
   * the last successful sign-in's.
   */
  lat: z.number().min(-90).max(90).optional(),
  lon: z.number().min(-180).max(180).optional(),
});
export type ClientContext = z.infer<typeof clientContext>;
