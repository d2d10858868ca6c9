import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { eventJsonSchemas } from './json-schema';
import { amountMinor, currencyCode, signedAmountMinor } from './money';
import { createEvent, topicSchemas } from './registry';
import { exampleEvents } from './samples';
import { ALL_TOPICS, deadLetterTopic, TOPICS, type Topic } from './topics';

const clone = <T>(v: T): T => structuredClone(v);

describe('event contracts', () => {
  it('names the topics and their dead-letter topics', () => {
    expect([...ALL_TOPICS].sort()).toEqual(
      [
        'auth.notifications.v1',
        'auth.security-events.v1',
        'risk.mule-destination.v1',
        'risk.theft-suspected.v1',
        'risk.transaction-flags.v1',
        'support.case-events.v1',
        'wallet.transactions.v1',
      ].sort(),
    );
    expect(deadLetterTopic(TOPICS.walletTransactions)).toBe('wallet.transactions.v1.dlq');
  });

  it.each(ALL_TOPICS)('accepts the example event on %s', (topic) => {
    expect(topicSchemas[topic].safeParse(exampleEvents[topic]).success).toBe(true);
  });

  it.each(ALL_TOPICS)('rejects an envelope without a uuid eventId, a known type or a version on %s', (topic) => {
    const schema = topicSchemas[topic];
    for (const broken of [
      { ...clone(exampleEvents[topic]), eventId: 'abc' },
      { ...clone(exampleEvents[topic]), type: 'something.else' },
      { ...clone(exampleEvents[topic]), version: 99 },
      { ...clone(exampleEvents[topic]), occurredAt: 'yesterday' },
      { ...clone(exampleEvents[topic]), producer: 'mallory' },
    ]) {
      expect(schema.safeParse(broken).success).toBe(false);
    }
  });

  it('rejects a transaction whose envelope and payload disagree on the account', () => {
    const event = clone(exampleEvents[TOPICS.walletTransactions]);
    event.accountId = '00000000-0000-4000-8000-000000000000';
    expect(topicSchemas[TOPICS.walletTransactions].safeParse(event).success).toBe(false);
  });

  it('carries money as integer minor units in a decimal string with an ISO 4217 code', () => {
    for (const ok of ['0', '1', '125000', '9223372036854775807']) expect(amountMinor.safeParse(ok).success).toBe(true);
    for (const bad of ['-1', '1.50', '01', '1e3', '', '9223372036854775808', 12]) {
      expect(amountMinor.safeParse(bad).success).toBe(false);
    }
    for (const ok of ['-4300', '0', '17']) expect(signedAmountMinor.safeParse(ok).success).toBe(true);
    for (const bad of ['-0', '-1.5', '--1', '-9223372036854775809'])
      expect(signedAmountMinor.safeParse(bad).success).toBe(false);
    for (const ok of ['EUR', 'USD', 'JPY']) expect(currencyCode.safeParse(ok).success).toBe(true);
    for (const bad of ['eur', 'EURO', 'ABC', 'XYZ']) expect(currencyCode.safeParse(bad).success).toBe(false);
  });

  it('createEvent fills id and time, applies defaults and refuses a contract breach', () => {
    const event = createEvent(TOPICS.securityEvents, {
      type: 'totp.disabled',
      version: 1,
      producer: 'auth',
      accountId: '4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11',
      payload: {},
    });
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(event.occurredAt)).not.toBeNaN();
    expect(event.payload.context).toEqual({});
    expect(() =>
      createEvent(TOPICS.securityEvents, {
        type: 'account.locked',
        version: 1,
        producer: 'auth',
        accountId: '4b1e0c47-3a59-4d0c-9a41-5c2d1f0e8a11',
        // @ts-expect-error: the payload misses required fields on purpose
        payload: { reason: 'too_many_failures' },
      }),
    ).toThrow();
  });
});

describe('JSON Schema export', () => {
  const schemas = eventJsonSchemas();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);

  it.each(ALL_TOPICS)(
    'exports a draft 2020-12 schema for %s that accepts the example and rejects a broken one',
    (topic: Topic) => {
      const schema = schemas[topic];
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      const validate = ajv.compile(schema);
      expect(validate(exampleEvents[topic]), JSON.stringify(validate.errors)).toBe(true);
      expect(validate({ ...clone(exampleEvents[topic]), eventId: 42 })).toBe(false);
    },
  );
});
