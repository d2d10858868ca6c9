import { randomBytes, randomUUID } from 'node:crypto';
import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { ClientContext } from '@wallet-guard/contracts';
import { commitThenDeliver } from '@wallet-guard/messaging';
import { findAccount } from '../accounts/accounts-store';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { publish, securityEvent } from '../security-events/publish';
import { requireRecentSignIn } from '../step-up/recent-sign-in';
import type { AuthenticatedUser } from '../tokens/user-auth';
import { refusalReason, userHandleOf } from './ceremonies';
import { insertCeremony, takeCeremony } from './ceremonies-store';
import { passkeyChangedNotice } from './passkey-notices';
import { type PasskeyView, passkeyView } from './passkey-view';
import { insertPasskey, listPasskeys } from './passkeys-store';

/**
 * COSE algorithms we accept (RFC 9053): EdDSA, ES256, RS256, the ones authenticators use. ES256
 * first: every platform authenticator supports it.
 */
const ALGORITHMS = [-7, -8, -257];

/**
 * Starts registering a passkey for the signed-in user: needs the password in the request or a
 * recent sign-in (`requireRecentSignIn`), like enrolling an authenticator app, because a stolen
 * access token alone must not add a factor. The options ask for a discoverable credential
 * (resident key: usernameless sign-in) with user verification, attestation `none` (we trust no
 * vendor list, so asking for attestation would only reveal the user's device model), and exclude
 * the account's passkeys so an authenticator is not registered twice.
 */
export async function startRegistration(
  ctx: AuthContext,
  user: AuthenticatedUser,
  input: { password?: string | undefined; context: ClientContext },
): Promise<{ ceremonyId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  await requireRecentSignIn(ctx, user, input);
  const account = await findAccount(ctx.db, user.accountId);
  if (!account) throw authErrors.invalidAccessToken();
  const { webauthn } = ctx.config;
  const existing = await listPasskeys(ctx.db, account.id);
  const options = await generateRegistrationOptions({
    rpName: webauthn.rpName,
    rpID: webauthn.rpId,
    userName: account.email,
    userDisplayName: account.email,
    userID: new Uint8Array(userHandleOf(account.id)),
    challenge: new Uint8Array(randomBytes(32)),
    timeout: webauthn.challengeTtlSeconds * 1000,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: ALGORITHMS,
  });
  const ceremonyId = randomUUID();
  await insertCeremony(
    ctx.db,
    {
      id: ceremonyId,
      kind: 'registration',
      purpose: 'registration',
      accountId: account.id,
      boundTo: null,
      challenge: options.challenge,
    },
    ctx.clock(),
    webauthn.challengeTtlSeconds,
  );
  return { ceremonyId, options };
}

/** "Passkey" with the kind of device, when the user gives no name. */
const defaultName = (deviceType: 'singleDevice' | 'multiDevice') =>
  deviceType === 'multiDevice' ? 'Synced passkey' : 'Device-bound passkey';

/**
 * Finishes a registration the same user started: the ceremony is used up (400
 * AUTH_PASSKEY_CHALLENGE_INVALID when unknown, used, expired or someone else's), the answer
 * verified with @simplewebauthn/server (challenge, origin, RP id hash, user presence and
 * verification, attestation `none`; any failure is 401 AUTH_PASSKEY_REJECTED). The passkey, its
 * `passkey.registered` event and the owner's "passkey added" notice with a freeze link commit
 * together; a credential id registered before (to anyone) is 409 AUTH_PASSKEY_ALREADY_REGISTERED.
 */
export async function finishRegistration(
  ctx: AuthContext,
  user: AuthenticatedUser,
  input: { ceremonyId: string; response: RegistrationResponseJSON; name?: string | undefined; context: ClientContext },
): Promise<PasskeyView> {
  const account = await findAccount(ctx.db, user.accountId);
  if (!account) throw authErrors.invalidAccessToken();
  const binding = {
    kind: 'registration' as const,
    purpose: 'registration' as const,
    accountId: account.id,
    boundTo: null,
  };
  const challenge = await takeCeremony(ctx.db, input.ceremonyId, binding, ctx.clock());
  if (challenge === undefined) throw authErrors.passkeyChallengeInvalid();
  const { webauthn } = ctx.config;
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: webauthn.origins,
      expectedRPID: webauthn.rpId,
      requireUserPresence: true,
      requireUserVerification: true,
      supportedAlgorithmIDs: ALGORITHMS,
    });
  } catch (error) {
    ctx.logger.info({ accountId: account.id, reason: refusalReason(error) }, 'passkey registration refused');
    throw authErrors.passkeyRejected();
  }
  if (!verified.verified) throw authErrors.passkeyRejected();
  const info = verified.registrationInfo;
  const now = ctx.clock();
  const name = input.name ?? defaultName(info.credentialDeviceType);
  return commitThenDeliver(ctx.db, ctx.bus, async (trx) => {
    const passkey = await insertPasskey(trx, {
      accountId: account.id,
      credentialId: info.credential.id,
      publicKey: info.credential.publicKey,
      counter: info.credential.counter,
      transports: input.response.response.transports ?? [],
      aaguid: info.aaguid,
      backupEligible: info.credentialDeviceType === 'multiDevice',
      backedUp: info.credentialBackedUp,
      deviceType: info.credentialDeviceType,
      name,
      createdAt: now,
    });
    if (!passkey) throw authErrors.passkeyAlreadyRegistered();
    await publish(trx, [
      securityEvent('passkey.registered', account.id, {
        passkeyId: passkey.id,
        name: passkey.name,
        aaguid: passkey.aaguid,
        deviceType: passkey.deviceType,
        context: input.context,
      }),
      await passkeyChangedNotice(trx, ctx, account, 'passkey_added', passkey.name, now),
    ]);
    return passkeyView(passkey);
  });
}
