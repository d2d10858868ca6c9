import type { Migration } from 'kysely';
import * as accounts from './20261124100000_auth_accounts';
import * as lockout from './20261124100100_auth_lockout';
import * as sessions from './20261124100200_auth_sessions';
import * as securityEvents from './20261124100300_auth_security_events';
import * as twoFactor from './20261124100400_auth_two_factor';
import * as passkeys from './20261129100000_auth_passkeys';
import * as confirmations from './20261129110000_auth_confirmations';
import * as risk from './20261130100000_auth_risk';
import * as emailCodes from './20261130110000_auth_email_codes';
import * as lockoutProfiles from './20261130120000_auth_lockout_profiles';

/** The auth service's tables: accounts, lockout counters, sessions and tokens, security events, two-factor. */
export const authMigrations: Record<string, Migration> = {
  '20261124100000_auth_accounts': accounts,
  '20261124100100_auth_lockout': lockout,
  '20261124100200_auth_sessions': sessions,
  '20261124100300_auth_security_events': securityEvents,
  '20261124100400_auth_two_factor': twoFactor,
  '20261129100000_auth_passkeys': passkeys,
  '20261129110000_auth_confirmations': confirmations,
  '20261130100000_auth_risk': risk,
  '20261130110000_auth_email_codes': emailCodes,
  '20261130120000_auth_lockout_profiles': lockoutProfiles,
};
