import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** A timestamp the database fills in on insert. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** A wallet user's account: credentials, freeze state and the latest sign-in. */
export interface AuthAccountTable {
  id: Generated<string>;
  /** As the user typed it (trimmed, NFKC): where notifications go. */
  email: string;
  /** Trimmed, NFKC, lower-cased: the unique sign-in identifier. */
  email_normalized: string;
  locale: string;
  /** argon2id PHC string (it records the parameters it was made with). */
  password_hash: string;
  /** Which pepper key was mixed in; null when none was configured. */
  pepper_id: string | null;
  status: 'active' | 'frozen';
  frozen_at: Date | null;
  frozen_by: 'user' | 'agent' | 'system' | null;
  frozen_reason: string | null;
  created_at: CreatedAt;
  password_changed_at: Date;
  last_login_at: Date | null;
}

/** Every password an account has had (the current one included), for the reuse rule. */
export interface AuthPasswordHistoryTable {
  id: Generated<string>;
  account_id: string;
  password_hash: string;
  pepper_id: string | null;
  created_at: CreatedAt;
}

/**
 * Failure counters and locks, one row per (email, source). The email key is a hash of the
 * normalised email, so unknown emails are counted the same way (no enumeration by behaviour).
 * `subject` is `any`, or `device:<id>` / `ip:<ip>` for a source that recently signed in.
 */
export interface AuthLockoutTable {
  email_key: string;
  subject: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
  hard: boolean;
  /** When each lock of the escalation window began (ISO strings), oldest first. */
  recent_locks: JSONColumnType<string[], string | undefined, string>;
  last_ip: string | null;
  /** Failures since the counter's last success or lifted lock, whatever their pace (lockout profiles). */
  consecutive_failures: Generated<number>;
  /** A failure on an existing account touched it: its run outlives housekeeping. */
  account_known: Generated<boolean>;
  /** When the owner was warned that the next lock is permanent (psd2); cleared when a lock is lifted. */
  final_warning_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  updated_at: Date;
}

/** Failed sign-ins per client IP in a one-minute window (credential-stuffing throttle). */
export interface AuthIpFailureTable {
  ip: string;
  failures: number;
  window_started_at: Date;
}

/** Devices and IPs an account has signed in from: "new device" detection and separate counters. */
export interface AuthKnownSourceTable {
  account_id: string;
  kind: 'device' | 'ip';
  value: string;
  first_seen_at: Date;
  last_success_at: Date;
}

export interface AuthSessionTable {
  id: string;
  account_id: string;
  /** RFC 8176 methods, e.g. ["pwd"] or ["pwd","otp"]. */
  amr: JSONColumnType<string[]>;
  aal: number;
  ip: string | null;
  user_agent: string | null;
  device_id: string | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  /** `password_change`: a leaked password signed in; only changing it, sign-out and GET own account work. */
  restriction: ColumnType<SessionRestriction | null, SessionRestriction | null | undefined, SessionRestriction | null>;
}

/** What a restricted session may still do: change its password (issue 16). */
export type SessionRestriction = 'password_change';

/** Refresh tokens by SHA-256; a used one stays to recognise its reuse. */
export interface AuthRefreshTokenTable {
  token_hash: string;
  session_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** Single-use tokens sent to the user (reset, unlock, freeze), by SHA-256. */
export interface AuthOneTimeTokenTable {
  token_hash: string;
  purpose: 'password_reset' | 'unlock' | 'freeze';
  account_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** Every security event auth published, for the account history agents read. */
export interface AuthSecurityEventTable {
  /** bigserial, as a string: the page cursor. */
  id: Generated<string>;
  event_id: string;
  account_id: string;
  type: string;
  occurred_at: Date;
  ip: string | null;
  user_agent: string | null;
  device_id: string | null;
  /** The whole event envelope as published. */
  event: JSONColumnType<Record<string, unknown>>;
}

/**
 * An account's authenticator: the active secret once confirmed, and a pending one while enrolment
 * is under way. Secrets are AES-256-GCM ciphertexts (base64url of nonce, ciphertext and tag) with
 * the id of the key that sealed them.
 */
export interface AuthTotpTable {
  account_id: string;
  secret_ciphertext: string | null;
  secret_key_id: string | null;
  /** Null until the first code confirmed the enrolment. */
  enabled_at: Date | null;
  /** The RFC 6238 time step of the last accepted code: only later steps are accepted (no replay). */
  last_used_step: number | null;
  pending_ciphertext: string | null;
  pending_key_id: string | null;
  pending_created_at: Date | null;
  updated_at: Date;
}

/** Single-use recovery codes: HMAC-SHA-256 of the code under a per-code salt (hex), never the code. */
export interface AuthRecoveryCodeTable {
  id: Generated<string>;
  account_id: string;
  salt: string;
  code_hash: string;
  created_at: Date;
  used_at: Date | null;
}

/** The pending second step of a sign-in, by SHA-256 of its mfaToken. */
export interface AuthMfaChallengeTable {
  token_hash: string;
  account_id: string;
  /** The lockout counter the password was counted on; the codes count there too. */
  email_key: string;
  counter_subject: string;
  /** The client context of the password step (the second step may add to it). */
  context: JSONColumnType<Record<string, string>>;
  attempts: Generated<number>;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  /** HMAC-SHA-256 of an e-mailed code keyed with the mfaToken (never stored); null when none or used. */
  email_code_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** The restriction the session opened by this step will carry. */
  restriction: ColumnType<SessionRestriction | null, SessionRestriction | null | undefined, SessionRestriction | null>;
}

/** A passkey (WebAuthn credential) of an account: public data only. */
export interface AuthPasskeyTable {
  id: Generated<string>;
  account_id: string;
  /** Base64url of the credential id the authenticator chose; unique. */
  credential_id: string;
  /** The COSE_Key (RFC 9052) public key, as the authenticator gave it at registration. */
  public_key: Uint8Array;
  /** The signature counter last seen (0: the authenticator does not count). bigint: text from pg. */
  counter: ColumnType<string, string | number, string | number>;
  transports: string[];
  aaguid: string;
  backup_eligible: boolean;
  backed_up: boolean;
  device_type: 'singleDevice' | 'multiDevice';
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}

/** A started WebAuthn ceremony: a single-use challenge for one purpose, account and binding. */
export interface AuthWebAuthnCeremonyTable {
  id: string;
  kind: 'registration' | 'authentication';
  purpose: string;
  /** Null for a usernameless sign-in (the passkey names the account). */
  account_id: string | null;
  /** Base64url. */
  challenge: string;
  /** What the ceremony serves besides its purpose (an mfa challenge, a confirmation id). */
  bound_to: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/**
 * A payment the wallet asked its user to confirm, with the details the confirmation token binds.
 * pending -> approved | refused | expired; approved -> redeemed. The token is never stored.
 */
export interface AuthPaymentConfirmationTable {
  /** Also the token's `jti`. */
  id: string;
  account_id: string;
  /** The wallet's own id of the transaction. */
  transaction_id: string;
  /** Integer minor units (ISO 4217); bigint, so text from pg. */
  amount_minor: ColumnType<string, string, never>;
  currency: string;
  /** The counterparty kind of `@wallet-guard/contracts`. */
  payee_kind: 'bank_account' | 'wallet' | 'card' | 'merchant' | 'crypto_address';
  payee_id: string;
  /** Shown on the confirmation page, not bound by the token. */
  payee_name: string;
  /** BCP 47: the language the portal shows it in. */
  locale: string;
  status: 'pending' | 'approved' | 'refused' | 'expired' | 'redeemed';
  /** How it was approved (null until then). */
  method: 'passkey' | 'totp' | null;
  /** RFC 8176 methods of the approval. */
  amr: JSONColumnType<string[] | null, string | null, string | null>;
  acr: string | null;
  created_at: Date;
  expires_at: Date;
  /** When it was approved, refused or found expired. */
  decided_at: Date | null;
  redeemed_at: Date | null;
}

/** Credential stuffing: the email keys each source (IP, IPv6 /64, device) tried, and when last. */
export interface AuthRiskSourceAttemptTable {
  /** `ip:<address>`, `net:<prefix>/64` or `device:<id>`. */
  source: string;
  email_key: string;
  last_attempt_at: Date;
}

/** The countries an account has signed in from (ISO 3166-1 alpha-2). */
export interface AuthRiskKnownCountryTable {
  account_id: string;
  country: string;
  first_seen_at: Date;
  last_success_at: Date;
}

/** Where and when the account's last successful sign-in with a location was (WGS 84 degrees). */
export interface AuthRiskLastLocationTable {
  account_id: string;
  signed_in_at: Date;
  lat: number;
  lon: number;
}

/** risk.theft-suspected.v1 as auth keeps it, by event id. */
export interface AuthRiskTheftSuspicionTable {
  event_id: string;
  account_id: string;
  suspected_at: Date;
  score: number;
  rules_version: string;
}

export interface AuthTables {
  auth_accounts: AuthAccountTable;
  auth_password_history: AuthPasswordHistoryTable;
  auth_lockouts: AuthLockoutTable;
  auth_ip_failures: AuthIpFailureTable;
  auth_known_sources: AuthKnownSourceTable;
  auth_sessions: AuthSessionTable;
  auth_refresh_tokens: AuthRefreshTokenTable;
  auth_one_time_tokens: AuthOneTimeTokenTable;
  auth_security_events: AuthSecurityEventTable;
  auth_totp: AuthTotpTable;
  auth_recovery_codes: AuthRecoveryCodeTable;
  auth_mfa_challenges: AuthMfaChallengeTable;
  auth_passkeys: AuthPasskeyTable;
  auth_webauthn_ceremonies: AuthWebAuthnCeremonyTable;
  auth_payment_confirmations: AuthPaymentConfirmationTable;
  auth_risk_source_attempts: AuthRiskSourceAttemptTable;
  auth_risk_known_countries: AuthRiskKnownCountryTable;
  auth_risk_last_locations: AuthRiskLastLocationTable;
  auth_risk_theft_suspicions: AuthRiskTheftSuspicionTable;
}
