import { describe, expect, it } from 'vitest';
import { DAY, monitored, T0 } from '../testing/fixtures';
import { EMPTY_LISTS, type ListedEntry, listingsOf, listsSnapshot } from './lists-snapshot';

let next = 0;
const entry = (
  kind: ListedEntry['kind'],
  value: string,
  action: ListedEntry['action'],
  expiresAt: number | null = null,
) => ({
  id: `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`,
  kind,
  value,
  action,
  reason: `${action} ${value}`,
  expiresAt,
});
const fromIp = (ip: string) => monitored({ context: { ip } });
const matched = (lists: ReturnType<typeof listsSnapshot>, tx: ReturnType<typeof monitored>) =>
  listingsOf(lists, tx).map((l) => `${l.on}:${l.entry.value}:${l.entry.action}`);

describe('lists snapshot lookups', () => {
  it('finds the payee, device and country of a transaction by exact value', () => {
    const lists = listsSnapshot(3, [
      entry('counterparty', 'crypto_address:bc1-mule', 'block'),
      entry('device', 'rooted-7', 'review'),
      entry('country', 'KP', 'block'),
    ]);
    const tx = monitored({
      counterparty: { id: 'bc1-mule', kind: 'crypto_address' },
      context: { deviceId: 'rooted-7', country: 'KP' },
    });
    expect(matched(lists, tx)).toEqual([
      'counterparty:crypto_address:bc1-mule:block',
      'device:rooted-7:review',
      'country:KP:block',
    ]);
    // The same id under another kind is another counterparty.
    expect(matched(lists, monitored({ counterparty: { id: 'bc1-mule', kind: 'wallet' } }))).toEqual([]);
    expect(listingsOf(EMPTY_LISTS, tx)).toEqual([]);
  });

  it('matches IPv4 and IPv6 prefixes, the most specific one winning', () => {
    const lists = listsSnapshot(9, [
      entry('ip', '203.0.113.0/24', 'block'),
      entry('ip', '203.0.113.7/32', 'allow'),
      entry('ip', '2001:db8::/32', 'review'),
      entry('ip', '2001:db8:1::/48', 'block'),
    ]);
    expect(matched(lists, fromIp('203.0.113.99'))).toEqual(['ip:203.0.113.0/24:block']);
    expect(matched(lists, fromIp('203.0.113.7'))).toEqual(['ip:203.0.113.7/32:allow']);
    expect(matched(lists, fromIp('203.0.114.1'))).toEqual([]);
    expect(matched(lists, fromIp('2001:db8:ffff::1'))).toEqual(['ip:2001:db8::/32:review']);
    expect(matched(lists, fromIp('2001:db8:1:2::9'))).toEqual(['ip:2001:db8:1::/48:block']);
    expect(matched(lists, fromIp('2001:db9::1'))).toEqual([]);
  });

  it('honours expiry on the transaction time: an expired entry neither matches nor hides a wider prefix', () => {
    const lists = listsSnapshot(4, [
      entry('counterparty', 'wallet:w-1', 'block', T0 + 1),
      entry('device', 'd-1', 'block', T0),
      entry('ip', '198.51.100.0/24', 'block'),
      entry('ip', '198.51.100.9/32', 'allow', T0 - DAY),
    ]);
    const tx = monitored({
      counterparty: { id: 'w-1', kind: 'wallet' },
      context: { deviceId: 'd-1', ip: '198.51.100.9' },
    });
    expect(matched(lists, tx)).toEqual(['counterparty:wallet:w-1:block', 'ip:198.51.100.0/24:block']);
  });
});
