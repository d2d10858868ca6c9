import { describe, expect, it } from 'vitest';
import { createEvent } from '../registry';
import { exampleEvents } from '../samples';
import { TOPICS } from '../topics';
import { MULE_DESTINATION_MAX_ACCOUNTS, muleDestinationDetected } from './mule-destination';

const example = () => structuredClone(exampleEvents[TOPICS.muleDestinations]);

describe('risk.mule-destination.v1', () => {
  it('accepts an announcement listing the accounts, their flags and amounts', () => {
    const event = createEvent(TOPICS.muleDestinations, example());
    expect(event.payload.accounts[0]?.decision).toBe('suspected_theft');
    expect(event.payload.incidentKey).toBe('crypto_address:bc1qmule0000example');
  });

  it('refuses an empty list, too many accounts, a fractional amount, an unknown kind and revision 0', () => {
    const parse = (change: (e: ReturnType<typeof example>) => void) => {
      const event = example();
      change(event);
      return muleDestinationDetected.safeParse(event).success;
    };
    expect(parse(() => {})).toBe(true);
    expect(
      parse((e) => {
        e.payload.accounts = [];
      }),
    ).toBe(false);
    expect(
      parse((e) => {
        e.payload.accounts = Array.from(
          { length: MULE_DESTINATION_MAX_ACCOUNTS + 1 },
          () => structuredClone(example().payload.accounts[0]) as never,
        );
      }),
    ).toBe(false);
    expect(
      parse((e) => {
        e.payload.received = [{ amountMinor: '12.5', currency: 'EUR' }];
      }),
    ).toBe(false);
    expect(
      parse((e) => {
        e.payload.destination = { kind: 'merchant-ish' as never, id: 'x' };
      }),
    ).toBe(false);
    expect(
      parse((e) => {
        e.payload.revision = 0;
      }),
    ).toBe(false);
    expect(
      parse((e) => {
        e.payload.accounts = [{ ...(e.payload.accounts[0] as never as object), accountId: 'not-a-uuid' } as never];
      }),
    ).toBe(false);
  });
});
