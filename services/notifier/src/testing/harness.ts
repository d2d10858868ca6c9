// Runs the notifier against a test database, this file's slice of the broker (when given) and a
// mail server the test starts (`startSmtpSink` from @wallet-guard/testing).
import { randomUUID } from 'node:crypto';
import { type Env, type NotifierConfig, notifierConfigSchema, parseConfig } from '@wallet-guard/config';
import { createEvent, type DeliveryView, type Notification, TOPICS } from '@wallet-guard/contracts';
import type { Infrastructure } from '@wallet-guard/runtime';
import {
  createTestDatabase,
  type TestDatabase,
  type TestKafka,
  testEnv,
  testInfrastructure,
} from '@wallet-guard/testing';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock';
import { createNotifierServer } from '../server';

export interface RunningNotifier {
  server: FastifyInstance;
  infra: Infrastructure;
  config: NotifierConfig;
  db: TestDatabase;
  /** GET /v1/deliveries for an account, as support-cases calls it. */
  deliveries(accountId: string, caseId?: string): Promise<DeliveryView[]>;
  close(): Promise<void>;
}

/**
 * A notifier on its own database, on the broker when `kafka` is given (embedded bus otherwise).
 * Retries are fast unless `env` says otherwise: a test waits seconds, not minutes.
 */
export async function startNotifier(
  options: { kafka?: TestKafka; env?: Env; clock?: Clock; database?: TestDatabase } = {},
): Promise<RunningNotifier> {
  const db = options.database ?? (await createTestDatabase({ poolMax: 5 }));
  const config = parseConfig(
    notifierConfigSchema,
    testEnv(db, options.kafka, {
      NOTIFIER_RETRY_BASE_MS: '100',
      NOTIFIER_RETRY_MAX_MS: '400',
      NOTIFIER_SEND_TIMEOUT_MS: '3000',
      ...options.env,
    }),
  );
  const infra = await testInfrastructure(config, db);
  const server = await createNotifierServer(config, infra, undefined, { clock: options.clock });
  await infra.bus.start();
  return {
    server,
    infra,
    config,
    db,
    async deliveries(accountId, caseId) {
      const query = new URLSearchParams({ accountId, ...(caseId ? { caseId } : {}) });
      const res = await server.inject({
        method: 'GET',
        url: `/v1/deliveries?${query}`,
        headers: { 'x-api-key': 'dev-internal-key' },
      });
      if (res.statusCode !== 200) throw new Error(`GET /v1/deliveries answered ${res.statusCode}: ${res.body}`);
      return (res.json() as { items: DeliveryView[] }).items;
    },
    close: async () => {
      await server.close();
      await infra.close();
      if (!options.database) await db.drop();
    },
  };
}

type UnlockLinkEvent = Extract<Notification, { type: 'notification.unlock_link' }>;

/** An unlock-link notification as auth publishes it, for `email` in `locale`. */
export function unlockLinkEvent(input: {
  email: string;
  locale: string;
  accountId?: string;
  token?: string;
}): UnlockLinkEvent {
  return createEvent(TOPICS.notifications, {
    type: 'notification.unlock_link',
    version: 1,
    producer: 'auth',
    accountId: input.accountId ?? randomUUID(),
    payload: {
      email: input.email,
      locale: input.locale,
      token: input.token ?? `ul_${randomUUID().replaceAll('-', '')}${randomUUID().replaceAll('-', '')}`,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  }) as UnlockLinkEvent;
}

/** The record to put on the notifications topic for `event`. */
export const asRecord = (event: { accountId: string }) => ({ key: event.accountId, value: JSON.stringify(event) });
