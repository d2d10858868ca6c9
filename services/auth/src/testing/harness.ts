// Shared set-up for this service's tests (imported by *.test.ts only).
import { randomBytes } from 'node:crypto';
import { type AuthConfig, authConfigSchema, type Env, parseConfig } from '@wallet-guard/config';
import type { Notification, SecurityEvent } from '@wallet-guard/contracts';
import type { Infrastructure } from '@wallet-guard/runtime';
import {
  createTestDatabase,
  LogCapture,
  noteSecretsIn,
  type TestDatabase,
  type TestKafka,
  testEnv,
  testInfrastructure,
} from '@wallet-guard/testing';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { AuthContext } from '../auth-context';
import { BackgroundWork } from '../background-work';
import { createAuthServer } from '../server';

export const WALLET_KEY = 'dev-wallet-key';
export const INTERNAL_KEY = 'dev-internal-key';

/** Cheap argon2 for tests that are not about hashing cost (the timing and rehash tests set their own). */
export const FAST_ARGON2: Env = { AUTH_ARGON2_MEMORY_KIB: '4096', AUTH_ARGON2_TIME_COST: '1' };

/** A password that passes the policy (random, so zxcvbn scores it 4). */
export const strongPassword = (): string => `Quill-${randomBytes(9).toString('base64url')}-harbour`;

export const uniqueEmail = (name = 'user'): string => `${name}.${randomBytes(4).toString('hex')}@example.com`;

/** A clock tests can move forward; it starts at the real time so database defaults agree. */
export class TestClock {
  private offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export interface Account {
  accountId: string;
  email: string;
  password: string;
}

export interface AuthHarness {
  db: TestDatabase;
  config: AuthConfig;
  infra: Infrastructure;
  server: FastifyInstance;
  clock: TestClock;
  logs: LogCapture;
  /** Work the service does after answering (a reset link); `wallet` and `internal` wait for it. */
  background: BackgroundWork;
  /** The application context the server built: to drive a capability below its routes. */
  ctx: AuthContext;
  /** inject() with the wallet backend's key (and the user's access token when given). */
  wallet(options: InjectOptions, accessToken?: string): Promise<LightMyRequestResponse>;
  /** inject() with the internal key (support-cases). */
  internal(options: InjectOptions): Promise<LightMyRequestResponse>;
  register(options?: { email?: string; password?: string; context?: Record<string, string> }): Promise<Account>;
  signIn(email: string, password: string, context?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Security events written for the account, oldest first (from the outbox, in commit order). */
  securityEvents(accountId: string, type?: string): Promise<SecurityEvent[]>;
  notifications(accountId: string, type?: string): Promise<Notification[]>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Env;
  kafka?: TestKafka;
}

/** The auth service over its own database (cheap argon2 unless `env` says otherwise), embedded bus unless `kafka`. */
export async function startAuth(options: HarnessOptions = {}): Promise<AuthHarness> {
  const db = await createTestDatabase({ poolMax: 10 });
  const config = parseConfig(authConfigSchema, testEnv(db, options.kafka, { ...FAST_ARGON2, ...options.env }));
  const infra = await testInfrastructure(config, db);
  const clock = new TestClock();
  const logs = new LogCapture();
  const background = new BackgroundWork();
  let built: AuthContext | undefined;
  const server = await createAuthServer(config, infra, logs, {
    clock: clock.now,
    background,
    onContext: (ctx) => {
      built = ctx;
    },
  });
  if (!built) throw new Error('the auth server built no application context');
  const ctx: AuthContext = built;
  await infra.bus.start();

  const outbox = async (topic: string, accountId: string, type?: string) => {
    let query = db.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', topic)
      .where('message_key', '=', accountId)
      .orderBy('id');
    if (type) query = query.where(({ ref }) => ref('payload', '->>').key('type'), '=', type);
    return (await query.execute()).map((r) => r.payload);
  };
  // Each call returns once the work the service does after answering is done too, so a test
  // sees the reset link right after asking for it.
  // The secrets going in and out (passwords, tokens, codes) are noted for the run's log scan,
  // which fails when a service logged one of them.
  const settle = async (response: LightMyRequestResponse) => {
    await background.settled();
    noteSecretsIn(response.body);
    return response;
  };
  const wallet = (request: InjectOptions, accessToken?: string) => {
    noteSecretsIn(request.payload);
    return server
      .inject({
        ...request,
        headers: {
          ...request.headers,
          'x-api-key': WALLET_KEY,
          ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
        },
      })
      .then(settle);
  };

  const harness: AuthHarness = {
    db,
    config,
    infra,
    server,
    clock,
    logs,
    background,
    ctx,
    wallet,
    internal: (request) => {
      noteSecretsIn(request.payload);
      return server.inject({ ...request, headers: { ...request.headers, 'x-api-key': INTERNAL_KEY } }).then(settle);
    },
    async register(registration = {}) {
      const email = registration.email ?? uniqueEmail();
      const password = registration.password ?? strongPassword();
      const res = await wallet({
        method: 'POST',
        url: '/v1/accounts',
        payload: { email, password, context: registration.context ?? {} },
      });
      if (res.statusCode !== 201) throw new Error(`registration failed: ${res.statusCode} ${res.body}`);
      return { accountId: res.json().accountId, email, password };
    },
    signIn: (email, password, context = {}) =>
      wallet({ method: 'POST', url: '/v1/sessions', payload: { email, password, context } }),
    securityEvents: async (accountId, type) =>
      (await outbox('auth.security-events.v1', accountId, type)) as unknown as SecurityEvent[],
    notifications: async (accountId, type) => {
      const found = (await outbox('auth.notifications.v1', accountId, type)) as unknown as Notification[];
      noteSecretsIn(found); // the links' tokens
      return found;
    },
    async close() {
      await server.close();
      await infra.close();
      await db.drop();
    },
  };
  return harness;
}

/** The token (unlock, reset, or freeze) of the newest notification of `type` for the account. */
export async function latestToken(
  auth: AuthHarness,
  accountId: string,
  type:
    | 'notification.unlock_link'
    | 'notification.password_reset_link'
    | 'notification.new_sign_in'
    | 'notification.password_changed'
    | 'notification.two_factor_changed',
): Promise<string> {
  const payload = (await auth.notifications(accountId, type)).at(-1)?.payload as
    | { token?: string; freezeToken?: string }
    | undefined;
  const token = payload?.token ?? payload?.freezeToken;
  if (!token) throw new Error(`no ${type} for ${accountId}`);
  return token;
}
