import { randomUUID } from 'node:crypto';
import type { ClientContext } from '@wallet-guard/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type CookieNames, cookieAttributes } from './cookies';

/** A device id cookie outlives sessions (400 days, the longest browsers keep one). */
const DEVICE_MAX_AGE_SECONDS = 400 * 24 * 3600;
const DEVICE_ID = /^[0-9a-f-]{36}$/;

/**
 * What auth is told about the customer's browser: IP, user agent and the portal's device id
 * (a random id in its own cookie, so auth can tell a known browser from a new one and send
 * "was this you?" only for the new). Sets the device cookie when the browser has none.
 */
export function clientContextOf(
  request: FastifyRequest,
  reply: FastifyReply,
  cookies: CookieNames,
  secure: boolean,
): ClientContext {
  let deviceId = request.cookies[cookies.device];
  if (!deviceId || !DEVICE_ID.test(deviceId)) {
    deviceId = randomUUID();
    reply.setCookie(cookies.device, deviceId, { ...cookieAttributes(secure), maxAge: DEVICE_MAX_AGE_SECONDS });
  }
  const userAgent = request.headers['user-agent']?.slice(0, 512);
  return { ip: request.ip, deviceId, ...(userAgent ? { userAgent } : {}) };
}
