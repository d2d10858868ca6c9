// Credentials for every kind of caller of the three services, for tests that go through every
// route: the development API keys, a signed-in user's access token, and agent tokens by role.
import { randomBytes } from 'node:crypto';
import { casesConfigSchema, parseConfig } from '@wallet-guard/config';
import { signDevAgentToken } from '@wallet-guard/support-cases/dev-agent-token';
import type { FastifyInstance } from 'fastify';

export const WALLET_KEY = 'dev-wallet-key';
export const INTERNAL_KEY = 'dev-internal-key';

/** The other development key: the one whose scope a route does not ask for. */
export const otherKey = (scope: string): string => (scope === 'wallet' ? INTERNAL_KEY : WALLET_KEY);
export const keyFor = (scope: string): string => (scope === 'wallet' ? WALLET_KEY : INTERNAL_KEY);

/** Cheap argon2 for the system under these tests: they are about who gets in, not hashing cost. */
export const FAST_ARGON2 = { AUTH_ARGON2_MEMORY_KIB: '4096', AUTH_ARGON2_TIME_COST: '1' };

/** A token from the development identity provider; `role` undefined leaves the claim out. */
export function agentToken(agent: string, role?: string): Promise<string> {
  const { issuer, audience } = parseConfig(casesConfigSchema, { NODE_ENV: 'test' }).agentTokens;
  return signDevAgentToken({ agent, role, issuer, audience });
}

export interface SignedInUser {
  accountId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers a fresh account in auth and signs it in (each call its own account and session). */
export async function signedInUser(auth: FastifyInstance): Promise<SignedInUser> {
  const email = `caller.${randomBytes(5).toString('hex')}@example.com`;
  const password = `Quill-${randomBytes(9).toString('base64url')}-harbour`;
  const headers = { 'x-api-key': WALLET_KEY };
  const created = await auth.inject({ method: 'POST', url: '/v1/accounts', headers, payload: { email, password } });
  if (created.statusCode !== 201) throw new Error(`registration failed: ${created.statusCode} ${created.body}`);
  const session = await auth.inject({ method: 'POST', url: '/v1/sessions', headers, payload: { email, password } });
  if (session.statusCode !== 200) throw new Error(`sign-in failed: ${session.statusCode} ${session.body}`);
  const { accessToken, refreshToken } = session.json() as { accessToken: string; refreshToken: string };
  return { accountId: created.json().accountId, email, password, accessToken, refreshToken };
}
