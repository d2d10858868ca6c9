import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { commonShape, toCommonConfig } from './common';
import { apiKeys, booleanFlag, port, positiveInt, secret } from './fields';
import type { RuntimeMode } from './load-config';
import { LOCKOUT_PROFILES, type LockoutProfile, resolveLockout } from './lockout-profiles';
import type { ServiceConfig } from './service';

/** argon2id cost parameters; PHC strings record them, so a change triggers a rehash at sign-in. */
export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** An HMAC key mixed into every password before hashing; the id is stored beside the hash. */
export interface Pepper {
  id: string;
  /** Base64 of the key bytes (kept as text: the config is deep-frozen, and Buffers cannot be). */
  keyBase64: string;
}

/**
 * An Ed25519 key for access tokens, as configured: a JWK (private with `d`, or public only) or a
 * PEM (PKCS#8 private or SPKI public). The service imports and checks them at start.
 */
export type SigningKeyInput =
  | { kid: string; jwk: { kty: string; crv: string; x: string; d?: string | undefined } }
  | { kid: string; pem: string };

/** An AES-256 key for TOTP secrets at rest; the id is stored beside each ciphertext. */
export interface SecretKey {
  id: string;
  /** Base64 of exactly 32 key bytes (text: the config is deep-frozen, and Buffers cannot be). */
  keyBase64: string;
}

export interface AuthConfig extends ServiceConfig {
  service: 'auth';
  passwords: {
    argon2: Argon2Params;
    /** First entry hashes new passwords; the others still verify until a sign-in rehashes. Empty: no pepper. */
    peppers: Pepper[];
    policy: {
      minLength: number;
      maxLength: number;
      /** zxcvbn score (0-4) a new password must reach. */
      minStrength: number;
      /** How many recent passwords (the current one included) a new one must differ from. */
      history: number;
      requireComposition: boolean;
    };
    hashing: { concurrency: number; queueMax: number; retryAfterSeconds: number };
  };
  lockout: {
    /** AUTH_LOCKOUT_PROFILE: the rule the values below are held to (see `lockout-profiles.ts`). */
    profile: LockoutProfile;
    threshold: number;
    windowSeconds: number;
    lockSeconds: number;
    maxLockSeconds: number;
    /** The lock that makes this many within `escalationSeconds` is hard (no expiry). */
    hardLockAfter: number;
    escalationSeconds: number;
    knownSourceDays: number;
    ipFailuresPerMinute: number;
    /** IPv6 clients are throttled per prefix of this many bits (IPv4 per address). */
    ipv6ThrottlePrefixBits: number;
    /** nist: a counter's consecutive failures (at any pace) hard-lock it at this many (threshold × hardLockAfter); else null. */
    maxConsecutiveFailures: number | null;
    /** psd2: the lock before the hard one mails the owner a final warning (RTS Art. 4(4)). */
    warnBeforeHardLock: boolean;
  };
  tokens: {
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    sessionMaxAgeSeconds: number;
    resetTtlSeconds: number;
    /** Reset links one account may be sent per rolling hour; further requests are answered alike and send nothing. */
    resetLinksPerHour: number;
    unlockTtlSeconds: number;
    freezeTtlSeconds: number;
    /**
     * How recent a sign-in must be (seconds since its session began) for a change that adds or removes
     * an authenticator or recovery codes without the password in the request.
     */
    recentSignInSeconds: number;
    /** First signs; all are published in the JWKS. Unset: a key generated at start (refused in production). */
    signingKeys: SigningKeyInput[] | undefined;
  };
  twoFactor: {
    /** Shown by the authenticator app above the code. */
    issuer: string;
    /** The otpauth label; `{email}` stands for the account's email. */
    label: string;
    /** Time steps accepted either side of the server's (RFC 6238 section 6). */
    driftSteps: number;
    /** First encrypts new secrets; every one still decrypts (rotation, see the re-encryption command). */
    encryptionKeys: SecretKey[];
    /** True when the development key is in use (never in production); the service warns at start. */
    usingDevKey: boolean;
    enrolmentTtlSeconds: number;
    mfaTokenTtlSeconds: number;
    mfaTokenMaxAttempts: number;
    /** How long an e-mailed sign-in code (and the second step it belongs to) works. */
    emailCodeTtlSeconds: number;
  };
  /** Payment confirmation bound to the transaction (PSD2 RTS art. 5, dynamic linking). */
  confirmations: {
    /** How long a confirmation stays pending (approvable) after the wallet opened it. */
    ttlSeconds: number;
    /** Lifetime of the signed confirmation token an approval answers. */
    tokenTtlSeconds: number;
  };
  /** Risk-based sign-in (services/auth/src/risk). */
  risk: {
    /** The risk policy file (YAML or JSON); undefined: the one shipped with the service (`services/auth/risk-policy.yaml`). */
    policyFile: string | undefined;
  };
  /** Passkeys (W3C WebAuthn Level 3) with @simplewebauthn/server. */
  webauthn: {
    /** The relying party id: a registrable domain suffix of every origin (`localhost` outside production). */
    rpId: string;
    /** Shown by the browser and the authenticator when a passkey is created. */
    rpName: string;
    /** Origins (scheme://host[:port]) whose pages may run a ceremony; required and https only in production. */
    origins: string[];
    /** How long a started ceremony's challenge may be answered. */
    challengeTtlSeconds: number;
  };
}

const count = (fallback: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(0, { message: `must be between 0 and ${max}` })
    .max(max, { message: `must be between 0 and ${max}` })
    .default(fallback);

/** `id:base64key,id:base64key`; at least 32 key bytes, ids safe to store beside a hash. */
const peppers = z
  .string()
  .optional()
  .transform((v, ctx): Pepper[] => {
    if (!v || v.trim() === '') return [];
    const result: Pepper[] = [];
    for (const [index, entry] of v.split(',').entries()) {
      const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(entry.trim());
      const bytes = match ? Buffer.from(match[2] as string, 'base64').length : 0;
      if (!match || bytes < 32) {
        ctx.addIssue({ code: 'custom', message: `entry ${index + 1} must look like id:<base64 of at least 32 bytes>` });
        return z.NEVER;
      }
      result.push({ id: match[1] as string, keyBase64: match[2] as string });
    }
    if (new Set(result.map((p) => p.id)).size !== result.length) {
      ctx.addIssue({ code: 'custom', message: 'has the same id twice' });
      return z.NEVER;
    }
    return result;
  });

const signingKey = z.union([
  z.object({
    kid: z.string().min(1).max(64),
    jwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().min(1), d: z.string().optional() }),
  }),
  z.object({ kid: z.string().min(1).max(64), pem: z.string().includes('-----BEGIN ') }),
]);

/**
 * Development stand-in for AUTH_TOTP_ENCRYPTION_KEYS: a fixed, public key (SHA-256 of a phrase), so secrets enrolled in a
 * dev database survive restarts. Production refuses it, under any id.
 */
export const DEV_TOTP_ENCRYPTION_KEYS = 'dev:ZLVNiWDu8tGARfF3qUZxoMt2K7931v5lMdmRvsREAOk=';
const DEV_TOTP_KEY = Buffer.from(DEV_TOTP_ENCRYPTION_KEYS.split(':')[1] as string, 'base64');

/** `id:base64key,...` (after `secret()`): exactly 32 key bytes each, distinct ids safe to store. */
const secretKeys = (mode: RuntimeMode) =>
  secret(mode, DEV_TOTP_ENCRYPTION_KEYS).transform((v, ctx): { keys: SecretKey[]; usingDevKey: boolean } => {
    const keys: SecretKey[] = [];
    for (const [index, entry] of v.split(',').entries()) {
      const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=]+)$/.exec(entry.trim());
      if (!match || Buffer.from(match[2] as string, 'base64').length !== 32) {
        ctx.addIssue({ code: 'custom', message: `entry ${index + 1} must look like id:<base64 of exactly 32 bytes>` });
        return z.NEVER;
      }
      keys.push({ id: match[1] as string, keyBase64: match[2] as string });
    }
    if (new Set(keys.map((k) => k.id)).size !== keys.length) {
      ctx.addIssue({ code: 'custom', message: 'has the same id twice' });
      return z.NEVER;
    }
    const usingDevKey = keys.some((k) => Buffer.from(k.keyBase64, 'base64').equals(DEV_TOTP_KEY));
    if (mode === 'production' && usingDevKey) {
      ctx.addIssue({ code: 'custom', message: 'holds the development key; production needs keys of its own' });
      return z.NEVER;
    }
    return { keys, usingDevKey };
  });

/**
 * JSON array of keys (see `SigningKeyInput`); a JWK may also be given bare, with its own `kid`.
 * Unset is refused in production here, with the other secrets, before anything opens: a key
 * generated per process would not verify on other instances or after a restart.
 */
const signingKeys = (mode: RuntimeMode) =>
  z
    .string()
    .optional()
    .transform((v, ctx): SigningKeyInput[] | undefined => {
      if (!v || v.trim() === '') {
        if (mode === 'production') {
          ctx.addIssue({ code: 'custom', message: 'is required in production' });
          return z.NEVER;
        }
        return undefined;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of keys' });
        return z.NEVER;
      }
      const entries = Array.isArray(raw)
        ? raw.map((k) => (k && typeof k === 'object' && 'kty' in k ? { kid: (k as { kid?: unknown }).kid, jwk: k } : k))
        : raw;
      const parsed = z.array(signingKey).min(1).safeParse(entries);
      if (!parsed.success) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a JSON array of Ed25519 keys: {"kid","jwk"} (or a JWK with "kid") or {"kid","pem"}',
        });
        return z.NEVER;
      }
      const first = parsed.data[0] as SigningKeyInput;
      const firstIsPrivate = 'jwk' in first ? first.jwk.d !== undefined : first.pem.includes('PRIVATE KEY');
      if (!firstIsPrivate) {
        ctx.addIssue({ code: 'custom', message: 'the first key signs, so it must be a private key' });
        return z.NEVER;
      }
      if (new Set(parsed.data.map((k) => k.kid)).size !== parsed.data.length) {
        ctx.addIssue({ code: 'custom', message: 'has the same kid twice' });
        return z.NEVER;
      }
      return parsed.data;
    });

/** A domain name (lower-cased); `localhost` outside production, required there. */
const webauthnRpId = (mode: RuntimeMode) =>
  z
    .string()
    .optional()
    .transform((v, ctx): string => {
      const rpId = v?.trim().toLowerCase() ?? '';
      if (rpId === '') {
        if (mode !== 'production') return 'localhost';
        ctx.addIssue({ code: 'custom', message: 'is required in production (the domain passkeys are bound to)' });
        return z.NEVER;
      }
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(rpId)) {
        ctx.addIssue({ code: 'custom', message: 'must be a domain name like wallet.example' });
        return z.NEVER;
      }
      return rpId;
    });

/**
 * `https://a.example,https://b.example`: each an origin exactly as a browser writes it in
 * clientDataJSON (scheme, host, optional port; no path, no trailing slash); in production https,
 * or http on localhost, the only secure contexts a browser runs WebAuthn in (W3C WebAuthn L3
 * §13.4.9: an origin is what binds a passkey to our pages).
 */
const webauthnOrigins = (mode: RuntimeMode) =>
  z
    .string()
    .optional()
    .transform((v, ctx): string[] => {
      if (v === undefined || v.trim() === '') {
        if (mode === 'production') {
          ctx.addIssue({ code: 'custom', message: 'is required in production (the https origins of the portal)' });
          return z.NEVER;
        }
        return ['http://localhost:4005'];
      }
      const origins = v
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
      if (origins.length === 0) {
        ctx.addIssue({ code: 'custom', message: 'must list at least one origin' });
        return z.NEVER;
      }
      for (const [index, origin] of origins.entries()) {
        let url: URL | undefined;
        try {
          url = new URL(origin);
        } catch {
          url = undefined;
        }
        if (!url || !['https:', 'http:'].includes(url.protocol) || url.origin !== origin) {
          ctx.addIssue({ code: 'custom', message: `entry ${index + 1} must be an origin like https://wallet.example` });
          return z.NEVER;
        }
        // Browsers run WebAuthn in secure contexts only: https, or http on localhost (a local compose).
        if (mode === 'production' && url.protocol !== 'https:' && url.hostname !== 'localhost') {
          ctx.addIssue({
            code: 'custom',
            message: `entry ${index + 1} must be https in production (or http://localhost)`,
          });
          return z.NEVER;
        }
      }
      return origins;
    });

/** A whole number above 0, or undefined when unset or empty (the profile's default applies). */
const unsetOrPositiveInt = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .positive({ message: 'must be greater than 0' })
    .optional(),
);

/** The lockout variables a profile bounds, when set (an unset one takes the profile's default). */
const explicitLockout = (env: {
  AUTH_LOCKOUT_THRESHOLD?: number | undefined;
  AUTH_LOCKOUT_HARD_AFTER?: number | undefined;
}) => ({
  threshold: env.AUTH_LOCKOUT_THRESHOLD,
  hardLockAfter: env.AUTH_LOCKOUT_HARD_AFTER,
});

/** Every variable the auth service reads. */
export const authConfigSchema = (mode: RuntimeMode): z.ZodType<AuthConfig> =>
  z
    .object({
      ...commonShape,
      AUTH_PORT: port(4001),
      AUTH_API_KEYS: apiKeys(mode),
      // argon2id cost (OWASP: 19 MiB, 2 passes, 1 lane). Raising them rehashes each account at its next sign-in.
      AUTH_ARGON2_MEMORY_KIB: positiveInt(19_456),
      AUTH_ARGON2_TIME_COST: positiveInt(2),
      AUTH_ARGON2_PARALLELISM: positiveInt(1),
      // A stolen database alone cannot be cracked without this key (kept outside the database). Rotate by
      // putting a new id first: accounts move to it as they sign in.
      AUTH_PASSWORD_PEPPERS: peppers,
      AUTH_PASSWORD_MIN_LENGTH: positiveInt(12),
      AUTH_PASSWORD_MAX_LENGTH: positiveInt(128),
      AUTH_PASSWORD_MIN_STRENGTH: count(3, 4),
      AUTH_PASSWORD_HISTORY: count(5, 24),
      // Off by default: NIST SP 800-63B advises against composition rules (they push users to predictable
      // patterns like "Password1!"); some regulators still ask for them.
      AUTH_PASSWORD_REQUIRE_COMPOSITION: booleanFlag(false),
      // Password hashes running at once: each holds a libuv thread, a core and m KiB of memory. One core
      // less than the machine has, so a login flood leaves the event loop a core and every other endpoint
      // stays fast (tests/bench/login-flood.ts on 2 cores: refresh p99 under the flood 249 ms with 2,
      // 115-177 ms with 1); at most 3 keeps one of libuv's four threads free for file and DNS work.
      AUTH_HASH_CONCURRENCY: positiveInt(Math.max(1, Math.min(availableParallelism() - 1, 3))),
      // Hashes waiting for a turn; beyond this a request gets 503 at once instead of a slow answer.
      AUTH_HASH_QUEUE_MAX: positiveInt(32),
      AUTH_HASH_RETRY_AFTER_SECONDS: positiveInt(1),
      // Which rule the lockout is held to: nist (at most 100 consecutive failures before a hard lock, NIST SP
      // 800-63B §5.2.2), psd2 (at most 5 failures in a row before a block, the owner warned before a permanent
      // one, RTS on SCA Art. 4) or custom (the variables as given). The profile defaults AUTH_LOCKOUT_THRESHOLD
      // and AUTH_LOCKOUT_HARD_AFTER and refuses explicit values outside its bound.
      AUTH_LOCKOUT_PROFILE: z
        .enum(LOCKOUT_PROFILES, { message: `must be one of ${LOCKOUT_PROFILES.join(', ')}` })
        .default('nist'),
      // Default per profile (5).
      AUTH_LOCKOUT_THRESHOLD: unsetOrPositiveInt,
      AUTH_LOCKOUT_WINDOW_SECONDS: positiveInt(900),
      AUTH_LOCKOUT_SECONDS: positiveInt(900),
      AUTH_LOCKOUT_MAX_SECONDS: positiveInt(86_400),
      // Default per profile (3).
      AUTH_LOCKOUT_HARD_AFTER: unsetOrPositiveInt,
      AUTH_LOCKOUT_ESCALATION_SECONDS: positiveInt(86_400),
      // A device or IP that signed in within this many days keeps its own failure counter, so a stranger
      // cannot lock the owner out of it.
      AUTH_KNOWN_SOURCE_DAYS: positiveInt(30),
      // Credential stuffing spreads failures over many accounts; this caps them per client IP.
      AUTH_IP_FAILURES_PER_MINUTE: positiveInt(30),
      // One IPv6 subscriber usually holds a whole /64 (RFC 6177) and can rotate through it, so the throttle
      // counts IPv6 clients per prefix of this many bits; 128 counts single addresses, 48 whole sites.
      AUTH_IP_THROTTLE_IPV6_PREFIX: z.coerce
        .number({ message: 'must be a number' })
        .int({ message: 'must be a whole number' })
        .min(16, { message: 'must be between 16 and 128' })
        .max(128, { message: 'must be between 16 and 128' })
        .default(64),
      AUTH_JWT_ISSUER: z.string().min(1).default('wallet-guard-auth'),
      AUTH_JWT_AUDIENCE: z.string().min(1).default('wallet'),
      // Short-lived, so a revoked session's JWT dies soon even where callers verify offline (JWKS).
      AUTH_ACCESS_TOKEN_TTL_SECONDS: positiveInt(600),
      // A refresh token unused this long expires (idle timeout); a session never outlives its max age.
      AUTH_REFRESH_TOKEN_TTL_SECONDS: positiveInt(14 * 86_400),
      AUTH_SESSION_MAX_AGE_SECONDS: positiveInt(30 * 86_400),
      AUTH_RESET_TOKEN_TTL_SECONDS: positiveInt(1_800),
      // Anyone may ask for a reset link for any email: without a cap, a script floods the owner's inbox.
      AUTH_RESET_LINKS_PER_HOUR: positiveInt(5),
      AUTH_UNLOCK_TOKEN_TTL_SECONDS: positiveInt(3_600),
      AUTH_FREEZE_TOKEN_TTL_SECONDS: positiveInt(7 * 86_400),
      // A stolen access token must not be enough to enrol an authenticator or take new recovery codes:
      // those need the password in the request, or a sign-in at most this long ago (OWASP ASVS 6.3.x,
      // "re-authentication before sensitive changes"). Refresh does not renew it; signing in does.
      AUTH_RECENT_SIGN_IN_SECONDS: positiveInt(300),
      // Keys that sign access tokens (JSON, see SigningKeyInput). Required in production (checked at start);
      // elsewhere a key is generated per process.
      AUTH_JWT_SIGNING_KEYS: signingKeys(mode),
      // The name the authenticator app files the code under (the otpauth issuer).
      AUTH_TOTP_ISSUER: z.string().trim().min(1).max(64).default('Wallet Guard'),
      // The account line under the issuer; must name the email so users with several accounts tell them apart.
      AUTH_TOTP_LABEL: z
        .string()
        .trim()
        .max(128)
        .default('{email}')
        .refine((v) => v.includes('{email}'), { message: 'must contain {email}' }),
      // Steps of 30 s accepted either side of the server clock: 1 absorbs a phone clock a little off and
      // the time to type the code; each more step multiplies what a guess can hit.
      AUTH_TOTP_DRIFT_STEPS: count(1, 5),
      // AES-256-GCM keys for TOTP secrets at rest, `id:base64(32 bytes),...`: the first encrypts, all decrypt.
      // Kept outside the database so a stolen dump holds no usable secret. Rotate: put a new key first, run
      // `pnpm --filter @wallet-guard/auth totp:reencrypt`, then drop the old key. Required in production.
      AUTH_TOTP_ENCRYPTION_KEYS: secretKeys(mode),
      // A started enrolment (secret shown, not yet confirmed with a code) is forgotten after this long.
      AUTH_TOTP_ENROLMENT_TTL_SECONDS: positiveInt(900),
      // The second sign-in step: how long the mfaToken from a right password lives, and how many codes it may try.
      AUTH_MFA_TOKEN_TTL_SECONDS: positiveInt(300),
      AUTH_MFA_TOKEN_MAX_ATTEMPTS: positiveInt(5),
      // A 6-digit code e-mailed to an account without a second factor when a sign-in is stepped up (issue 16):
      // 10 minutes leaves room for a slow mailbox; its second step lives as long and allows the same
      // AUTH_MFA_TOKEN_MAX_ATTEMPTS tries, each counted on the sign-in's lockout counter (max 1 hour).
      AUTH_EMAIL_CODE_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
      // A payment confirmation the user has not approved or refused within this long expires (abandoned): the
      // wallet waits on it, so minutes, not hours (the same 5 minutes a WebAuthn ceremony gets).
      AUTH_CONFIRMATION_TTL_SECONDS: positiveInt(300),
      // The confirmation token only has to travel from the portal to the wallet and be redeemed: short, so
      // one that leaks is soon worthless (it is also single-use and bound to one payment).
      AUTH_CONFIRMATION_TOKEN_TTL_SECONDS: positiveInt(120),
      // Signal weights, thresholds and windows of the sign-in risk check change without a redeploy
      // (reloaded on SIGHUP): point this at your own policy file. Unset: the shipped risk-policy.yaml.
      AUTH_RISK_POLICY_FILE: z
        .string()
        .optional()
        .transform((v) => (v ? v : undefined)),
      // Passkeys are bound to this domain: a passkey made for it is never offered to another site, which is
      // what makes them phishing-resistant. Changing it orphans every registered passkey. Default localhost;
      // required in production.
      AUTH_WEBAUTHN_RP_ID: webauthnRpId(mode),
      AUTH_WEBAUTHN_RP_NAME: z.string().trim().min(1).max(64).default('Wallet Guard'),
      // The pages that run the browser side (the account portal); a ceremony from any other origin is refused.
      // Default http://localhost:4005 (the portal in development); production must list its https origins.
      AUTH_WEBAUTHN_ORIGINS: webauthnOrigins(mode),
      // A started registration or sign-in must be answered within this long (the browser's own timeout is the same).
      AUTH_WEBAUTHN_CHALLENGE_TTL_SECONDS: positiveInt(300),
    })
    .superRefine((env, ctx) => {
      if (env.AUTH_PASSWORD_MIN_LENGTH > env.AUTH_PASSWORD_MAX_LENGTH) {
        ctx.addIssue({ code: 'custom', path: ['AUTH_PASSWORD_MIN_LENGTH'], message: 'must not exceed the maximum' });
      }
      for (const problem of resolveLockout(env.AUTH_LOCKOUT_PROFILE, explicitLockout(env)).problems) {
        ctx.addIssue({ code: 'custom', path: [problem.variable], message: problem.message });
      }
      if (env.AUTH_LOCKOUT_SECONDS > env.AUTH_LOCKOUT_MAX_SECONDS) {
        ctx.addIssue({ code: 'custom', path: ['AUTH_LOCKOUT_SECONDS'], message: 'must not exceed the maximum' });
      }
      // A browser only uses an RP id that is the origin's host or a domain suffix of it (W3C WebAuthn L3 §5.1.3).
      const rpId = env.AUTH_WEBAUTHN_RP_ID;
      for (const origin of env.AUTH_WEBAUTHN_ORIGINS) {
        const host = new URL(origin).hostname;
        if (host !== rpId && !host.endsWith(`.${rpId}`)) {
          ctx.addIssue({
            code: 'custom',
            path: ['AUTH_WEBAUTHN_ORIGINS'],
            message: `${origin} is not within AUTH_WEBAUTHN_RP_ID (${rpId})`,
          });
        }
      }
    })
    .transform((env) => ({
      ...toCommonConfig(env, mode, 'auth'),
      service: 'auth' as const,
      port: env.AUTH_PORT,
      apiKeys: env.AUTH_API_KEYS,
      passwords: {
        argon2: {
          memoryCost: env.AUTH_ARGON2_MEMORY_KIB,
          timeCost: env.AUTH_ARGON2_TIME_COST,
          parallelism: env.AUTH_ARGON2_PARALLELISM,
        },
        peppers: env.AUTH_PASSWORD_PEPPERS,
        policy: {
          minLength: env.AUTH_PASSWORD_MIN_LENGTH,
          maxLength: env.AUTH_PASSWORD_MAX_LENGTH,
          minStrength: env.AUTH_PASSWORD_MIN_STRENGTH,
          history: env.AUTH_PASSWORD_HISTORY,
          requireComposition: env.AUTH_PASSWORD_REQUIRE_COMPOSITION,
        },
        hashing: {
          concurrency: env.AUTH_HASH_CONCURRENCY,
          queueMax: env.AUTH_HASH_QUEUE_MAX,
          retryAfterSeconds: env.AUTH_HASH_RETRY_AFTER_SECONDS,
        },
      },
      lockout: {
        ...resolveLockout(env.AUTH_LOCKOUT_PROFILE, explicitLockout(env)).lockout,
        windowSeconds: env.AUTH_LOCKOUT_WINDOW_SECONDS,
        lockSeconds: env.AUTH_LOCKOUT_SECONDS,
        maxLockSeconds: env.AUTH_LOCKOUT_MAX_SECONDS,
        escalationSeconds: env.AUTH_LOCKOUT_ESCALATION_SECONDS,
        knownSourceDays: env.AUTH_KNOWN_SOURCE_DAYS,
        ipFailuresPerMinute: env.AUTH_IP_FAILURES_PER_MINUTE,
        ipv6ThrottlePrefixBits: env.AUTH_IP_THROTTLE_IPV6_PREFIX,
      },
      tokens: {
        issuer: env.AUTH_JWT_ISSUER,
        audience: env.AUTH_JWT_AUDIENCE,
        accessTtlSeconds: env.AUTH_ACCESS_TOKEN_TTL_SECONDS,
        refreshTtlSeconds: env.AUTH_REFRESH_TOKEN_TTL_SECONDS,
        sessionMaxAgeSeconds: env.AUTH_SESSION_MAX_AGE_SECONDS,
        resetTtlSeconds: env.AUTH_RESET_TOKEN_TTL_SECONDS,
        resetLinksPerHour: env.AUTH_RESET_LINKS_PER_HOUR,
        unlockTtlSeconds: env.AUTH_UNLOCK_TOKEN_TTL_SECONDS,
        freezeTtlSeconds: env.AUTH_FREEZE_TOKEN_TTL_SECONDS,
        recentSignInSeconds: env.AUTH_RECENT_SIGN_IN_SECONDS,
        signingKeys: env.AUTH_JWT_SIGNING_KEYS,
      },
      twoFactor: {
        issuer: env.AUTH_TOTP_ISSUER,
        label: env.AUTH_TOTP_LABEL,
        driftSteps: env.AUTH_TOTP_DRIFT_STEPS,
        encryptionKeys: env.AUTH_TOTP_ENCRYPTION_KEYS.keys,
        usingDevKey: env.AUTH_TOTP_ENCRYPTION_KEYS.usingDevKey,
        enrolmentTtlSeconds: env.AUTH_TOTP_ENROLMENT_TTL_SECONDS,
        mfaTokenTtlSeconds: env.AUTH_MFA_TOKEN_TTL_SECONDS,
        mfaTokenMaxAttempts: env.AUTH_MFA_TOKEN_MAX_ATTEMPTS,
        emailCodeTtlSeconds: env.AUTH_EMAIL_CODE_TTL_SECONDS,
      },
      confirmations: {
        ttlSeconds: env.AUTH_CONFIRMATION_TTL_SECONDS,
        tokenTtlSeconds: env.AUTH_CONFIRMATION_TOKEN_TTL_SECONDS,
      },
      risk: { policyFile: env.AUTH_RISK_POLICY_FILE },
      webauthn: {
        rpId: env.AUTH_WEBAUTHN_RP_ID,
        rpName: env.AUTH_WEBAUTHN_RP_NAME,
        origins: env.AUTH_WEBAUTHN_ORIGINS,
        challengeTtlSeconds: env.AUTH_WEBAUTHN_CHALLENGE_TTL_SECONDS,
      },
    }));
