import { randomBytes, randomUUID } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import type { ClientContext } from '@wallet-guard/contracts';
import { commitThenDeliver } from '@wallet-guard/messaging';
import { type Account, findWithSources } from '../accounts/accounts-store';
import { emailKey } from '../accounts/email';
import type { AuthContext } from '../auth-context';
import { authErrors } from '../errors';
import { ipClient, recordIpFailure } from '../lockout/ip-throttle';
import { admission, counterSubject, locksOnFailure } from '../lockout/lockout-policy';
import { type CounterKey, incrementFailures, resetFailures } from '../lockout/lockout-store';
import { recordFailure } from '../lockout/password-attempt';
import { publish, securityEvent } from '../security-events/publish';
import { type CeremonyPurpose, insertCeremony, takeCeremony } from './ceremonies-store';
import { findPasskeyByCredentialId, listPasskeys, type Passkey, recordPasskeyUse } from './passkeys-store';

/** What checking a passkey answer works with (the application context without the second factor built on it). */
export type PasskeyNeeds = Pick<AuthContext, 'db' | 'bus' | 'clock' | 'config' | 'logger'>;

/** The ceremonies an existing passkey answers (registration has its own, `registration.ts`). */
export type AuthenticationPurpose = Exclude<CeremonyPurpose, 'registration'>;

/** A verified passkey answer: whose, which passkey, and the RFC 8176 methods it proves. */
export interface PasskeyAssertion {
  account: Account;
  passkey: Passkey;
  amr: string[];
  /** The lockout counter the answer was counted on (reset by it). */
  counter: CounterKey;
}

/** The user handle we register passkeys under: the account id's 16 bytes (no personal data, W3C WebAuthn L3 §14.6.1). */
export const userHandleOf = (accountId: string): Uint8Array => Buffer.from(accountId.replaceAll('-', ''), 'hex');

/**
 * RFC 8176 methods a passkey proves: `hwk` for a device-bound key (not backup eligible), `swk`
 * for a synced one (backup eligible: the private key also lives in a cloud keychain), and `user`
 * because every ceremony requires user verification (PIN or biometric: which one is not told).
 */
const passkeyAmr = (deviceType: Passkey['deviceType']): string[] => [
  deviceType === 'singleDevice' ? 'hwk' : 'swk',
  'user',
];

/**
 * Starts an authentication ceremony: 32 random bytes of challenge (or the caller's, for payment
 * confirmations whose challenge commits to the payment), single use, answerable for
 * AUTH_WEBAUTHN_CHALLENGE_TTL_SECONDS, for this purpose, account and `boundTo` only. With an
 * account, `allowCredentials` lists its passkeys (404 AUTH_PASSKEY_NOT_FOUND when it has none);
 * without (usernameless sign-in), the browser offers the discoverable passkeys of our RP id.
 * User verification is required.
 */
export async function startAuthentication(
  ctx: AuthContext,
  input: { purpose: AuthenticationPurpose; accountId: string | null; challenge?: Uint8Array; boundTo?: string },
): Promise<{ ceremonyId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const { webauthn } = ctx.config;
  const passkeys = input.accountId === null ? [] : await listPasskeys(ctx.db, input.accountId);
  if (input.accountId !== null && passkeys.length === 0) throw authErrors.passkeyNotFound();
  const options = await generateAuthenticationOptions({
    rpID: webauthn.rpId,
    challenge: new Uint8Array(input.challenge ?? randomBytes(32)),
    timeout: webauthn.challengeTtlSeconds * 1000,
    userVerification: 'required',
    ...(passkeys.length > 0
      ? { allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })) }
      : {}),
  });
  const ceremonyId = randomUUID();
  await insertCeremony(
    ctx.db,
    {
      id: ceremonyId,
      kind: 'authentication',
      purpose: input.purpose,
      accountId: input.accountId,
      boundTo: input.boundTo ?? null,
      challenge: options.challenge,
    },
    ctx.clock(),
    webauthn.challengeTtlSeconds,
  );
  return { ceremonyId, options };
}

/** What checking one answer came to, before any lockout counting. */
export type AssertionCheck =
  | { outcome: 'accepted'; passkey: Passkey; amr: string[] }
  /** Unknown, used, expired or mismatched ceremony: nothing about a factor was tried. */
  | { outcome: 'challenge_invalid' }
  /** No passkey of ours (for this account, when one is expected) has this credential id. */
  | { outcome: 'unknown_credential' }
  | { outcome: 'rejected'; passkey: Passkey };

interface AssertionInput {
  ceremonyId: string;
  response: AuthenticationResponseJSON;
  purpose: AuthenticationPurpose;
  accountId: string | null;
  boundTo?: string | undefined;
  context?: ClientContext | undefined;
}

/** Uses the ceremony up and finds the passkey that answered it (the account's, when one is expected). */
async function openAssertion(
  ctx: PasskeyNeeds,
  input: AssertionInput,
): Promise<
  | { outcome: 'opened'; challenge: string; passkey: Passkey }
  | Exclude<AssertionCheck, { outcome: 'accepted' | 'rejected' }>
> {
  const binding = {
    kind: 'authentication' as const,
    purpose: input.purpose,
    accountId: input.accountId,
    boundTo: input.boundTo ?? null,
  };
  const challenge = await takeCeremony(ctx.db, input.ceremonyId, binding, ctx.clock());
  if (challenge === undefined) return { outcome: 'challenge_invalid' };
  const passkey = await findPasskeyByCredentialId(ctx.db, input.response.id);
  if (!passkey || (input.accountId !== null && passkey.accountId !== input.accountId)) {
    return { outcome: 'unknown_credential' };
  }
  return { outcome: 'opened', challenge, passkey };
}

/**
 * Verifies the answer with @simplewebauthn/server: challenge, origin (AUTH_WEBAUTHN_ORIGINS), RP
 * id hash, user presence and verification, signature, and the user handle when the authenticator
 * sent one. The library is given a zero counter so that a counter going backwards (W3C WebAuthn
 * L3 §6.1.1, a sign of a cloned authenticator) is told apart here, after the signature proved
 * the answer came from the key: it refuses the answer and publishes `passkey.counter_regressed`.
 * Any exception of the library is a refusal. A right answer moves the stored counter forward
 * atomically (a concurrent answer with the same counter is refused).
 */
async function verifyWithPasskey(
  ctx: PasskeyNeeds,
  input: { challenge: string; passkey: Passkey; response: AuthenticationResponseJSON; context: ClientContext },
): Promise<AssertionCheck> {
  const { passkey, response } = input;
  const { webauthn } = ctx.config;
  const userHandle = response.response.userHandle;
  if (userHandle !== undefined && userHandle !== Buffer.from(userHandleOf(passkey.accountId)).toString('base64url')) {
    return { outcome: 'rejected', passkey };
  }
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: input.challenge,
      expectedOrigin: webauthn.origins,
      expectedRPID: webauthn.rpId,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: 0,
        transports: passkey.transports,
      },
    });
  } catch (error) {
    ctx.logger.info(
      { accountId: passkey.accountId, passkeyId: passkey.id, reason: refusalReason(error) },
      'passkey refused',
    );
    return { outcome: 'rejected', passkey };
  }
  if (!verified.verified) return { outcome: 'rejected', passkey };
  const info = verified.authenticationInfo;
  const now = ctx.clock();
  const presented = info.newCounter;
  if ((presented > 0 || passkey.counter > 0) && presented <= passkey.counter) {
    await reportCounterRegression(ctx, passkey, presented, input.context);
    return { outcome: 'rejected', passkey };
  }
  if (!(await recordPasskeyUse(ctx.db, passkey.id, { counter: presented, backedUp: info.credentialBackedUp }, now))) {
    // Another answer with this counter (or a higher one) won the race: the same as going backwards.
    await reportCounterRegression(ctx, passkey, presented, input.context);
    return { outcome: 'rejected', passkey };
  }
  return { outcome: 'accepted', passkey, amr: passkeyAmr(info.credentialDeviceType) };
}

/**
 * Why the library refused, for the log: its message with every quoted value (a challenge, an
 * origin the client sent) replaced, so nothing a client chose reaches the log.
 */
export const refusalReason = (error: unknown): string =>
  error instanceof Error ? error.message.replace(/"[^"]*"/g, '"…"').slice(0, 200) : 'unknown';

async function reportCounterRegression(ctx: PasskeyNeeds, passkey: Passkey, presented: number, context: ClientContext) {
  ctx.logger.warn(
    {
      accountId: passkey.accountId,
      passkeyId: passkey.id,
      storedCounter: passkey.counter,
      presentedCounter: presented,
    },
    'passkey signature counter went backwards',
  );
  await commitThenDeliver(ctx.db, ctx.bus, (trx) =>
    publish(trx, [
      securityEvent('passkey.counter_regressed', passkey.accountId, {
        passkeyId: passkey.id,
        storedCounter: passkey.counter,
        presentedCounter: presented,
        context,
      }),
    ]),
  );
}

/**
 * Checks one answer without counting it anywhere: for callers that count on a lockout counter of
 * their own before checking (the second sign-in step and step-ups, `step-up/step-up-check.ts`).
 */
export async function checkAssertion(ctx: PasskeyNeeds, input: AssertionInput): Promise<AssertionCheck> {
  const opened = await openAssertion(ctx, input);
  if (opened.outcome !== 'opened') return opened;
  return verifyWithPasskey(ctx, { ...opened, response: input.response, context: input.context ?? {} });
}

/**
 * A sign-in answer from a credential we do not know counts against its source IP, like a password
 * for an unknown e-mail does, so spraying credential ids meets the same per-IP limit (429).
 */
async function countUnknownCredential(ctx: AuthContext, purpose: string, context: ClientContext): Promise<void> {
  if (purpose !== 'sign_in' || !context.ip) return;
  const client = ipClient(context.ip, ctx.config.lockout);
  const now = ctx.clock();
  await ctx.db.transaction().execute((trx) => recordIpFailure(trx, client, now));
}

/**
 * Verifies a passkey's answer to a ceremony `startAuthentication` began, for the same purpose,
 * account (null: usernameless, the passkey names it) and `boundTo`. Counted like a wrong code on
 * the account's lockout counter before the signature is checked: the sign-in counter of the
 * request's source for `sign_in`, the account's `step-up` counter otherwise; a locked counter or
 * a frozen account is refused unchecked. Throws 400 AUTH_PASSKEY_CHALLENGE_INVALID (unknown, used,
 * expired or mismatched ceremony: not counted) or 401 AUTH_PASSKEY_REJECTED (every other refusal,
 * alike). A failure records `sign_in.failed` (reason `wrong_passkey`, `locked` or `frozen`) and
 * locks at the threshold as wrong codes do.
 */
export async function verifyAssertion(ctx: AuthContext, input: AssertionInput): Promise<PasskeyAssertion> {
  const context = input.context ?? {};
  const opened = await openAssertion(ctx, input);
  if (opened.outcome === 'challenge_invalid') throw authErrors.passkeyChallengeInvalid();
  if (opened.outcome === 'unknown_credential') {
    await countUnknownCredential(ctx, input.purpose, context);
    throw authErrors.passkeyRejected();
  }
  const found = await findWithSources(ctx.db, { id: opened.passkey.accountId }, context);
  if (!found) {
    await countUnknownCredential(ctx, input.purpose, context);
    throw authErrors.passkeyRejected();
  }
  const { account } = found;
  const now = ctx.clock();
  const settings = ctx.config.lockout;
  const counter: CounterKey = {
    emailKey: emailKey(account.emailNormalized),
    subject: input.purpose === 'sign_in' ? counterSubject(found.sources, context, now, settings) : 'step-up',
  };
  const state = await incrementFailures(ctx.db, counter, now, settings);
  const admitted = admission(state, now, settings);
  const check =
    admitted.kind === 'verify' && account.status === 'active'
      ? await verifyWithPasskey(ctx, { ...opened, response: input.response, context })
      : undefined;
  if (check?.outcome === 'accepted') {
    await resetFailures(ctx.db, counter, now);
    return { account, passkey: check.passkey, amr: check.amr, counter };
  }
  const target = { emailKey: counter.emailKey, account, sources: found.sources, context };
  await recordFailure(
    ctx,
    target,
    account.status === 'frozen'
      ? { outcome: 'rejected', reason: 'frozen', key: counter, failures: state.failures, locks: false }
      : admitted.kind === 'refused'
        ? { outcome: 'rejected', reason: 'locked', key: counter, failures: admitted.failures, locks: false }
        : {
            outcome: 'rejected',
            reason: 'wrong_passkey',
            key: counter,
            failures: admitted.position,
            locks: locksOnFailure(admitted.position, settings),
          },
  );
  throw authErrors.passkeyRejected();
}
