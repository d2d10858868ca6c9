// Chromium's own WebAuthn implementation with a virtual authenticator (DevTools protocol, WebAuthn
// domain): a platform authenticator (CTAP2, internal transport) that keeps discoverable credentials
// and verifies its user, answering every ceremony of its page without a prompt.
import type { CDPSession, Page } from 'playwright-core';
import { expect } from 'vitest';
import { api, PASSWORD, type PortalSystem } from './portal-system';

/** A credential as the DevTools protocol's WebAuthn domain shows it (binary fields in base64). */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  /** PKCS#8 private key: whoever holds it can answer as this passkey. */
  privateKey: string;
  userHandle?: string;
  /** The signature counter the next assertion goes on from. */
  signCount: number;
  largeBlob?: string;
  backupEligibility?: boolean;
  backupState?: boolean;
  userName?: string;
  userDisplayName?: string;
}

export interface VirtualAuthenticator {
  id: string;
  cdp: CDPSession;
  /** The credentials it holds, private keys and signature counters included. */
  credentials(): Promise<VirtualCredential[]>;
  /** Loads a credential into it (e.g. one copied from another authenticator). */
  addCredential(credential: VirtualCredential): Promise<void>;
}

/** A passkey-capable platform authenticator for `page` (user verification always succeeds). */
export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    id: authenticatorId,
    cdp,
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    addCredential: async (credential) => {
      await cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
    },
  };
}

/**
 * Auth's variables for passkeys through the portal: the relying party is `localhost` (an IP
 * address cannot be one, W3C WebAuthn Level 3 §5.1.4.1), and the one allowed origin is the
 * portal's, named `localhost`, which is where the browser opens it.
 */
export const webauthnEnv = (portalUrl: string): Record<string, string> => ({
  AUTH_WEBAUTHN_RP_ID: 'localhost',
  AUTH_WEBAUTHN_ORIGINS: localOrigin(portalUrl),
});

/** The portal's URL by the name passkeys are bound to: http://127.0.0.1:4567 -> http://localhost:4567. */
export const localOrigin = (portalUrl: string): string => portalUrl.replace('//127.0.0.1:', '//localhost:');

const wallet = { 'x-api-key': 'dev-wallet-key', 'content-type': 'application/json' };

/** A signed-in session of `email` through auth's API, as the wallet holds one: its access token. */
export async function walletSession(env: PortalSystem, email: string): Promise<string> {
  const session = await api(env.system.auth.url, 'POST', '/v1/sessions', { email, password: PASSWORD });
  expect(session.status).toBe(200);
  expect(session.body.accessToken, 'a password-only sign-in').toBeTypeOf('string');
  return session.body.accessToken as string;
}

/** The payment the wallet asks its customer to confirm. */
export interface Payment {
  transactionId: string;
  amountMinor: string;
  currency: string;
  payee: { id: string; kind: 'bank_account' | 'wallet' | 'card' | 'merchant' | 'crypto_address'; name: string };
}

/** `POST /v1/confirmations` as the wallet calls it (its key and the customer's access token): the confirmation id. */
export async function createConfirmation(env: PortalSystem, accessToken: string, payment: Payment): Promise<string> {
  const created = await api(env.system.auth.url, 'POST', '/v1/confirmations', payment, {
    ...wallet,
    authorization: `Bearer ${accessToken}`,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body.portalPath).toBe(`/confirmations/${created.body.confirmationId}`);
  return created.body.confirmationId as string;
}

/** `POST /v1/confirmations/:id/token` as the wallet collects an approval given on the portal: the token. */
export async function collectConfirmationToken(
  env: PortalSystem,
  accessToken: string,
  confirmationId: string,
): Promise<string> {
  const collected = await api(env.system.auth.url, 'POST', `/v1/confirmations/${confirmationId}/token`, undefined, {
    ...wallet,
    authorization: `Bearer ${accessToken}`,
  });
  expect(collected.status, JSON.stringify(collected.body)).toBe(200);
  return collected.body.confirmationToken as string;
}
