import { describe, expect, it } from 'vitest';
import { listsSnapshot } from '../../lists/lists-snapshot';
import { monitored, profileAfter, ruleContext, shippedRules } from '../../testing/fixtures';
import { listedDestination } from './listed-destination';

const params = shippedRules().listed_destination;
const lists = listsSnapshot(12, [
  {
    id: 'e1',
    kind: 'counterparty',
    value: 'bank_account:DE-mule',
    action: 'block',
    reason: 'mule ring',
    expiresAt: null,
  },
  { id: 'e2', kind: 'device', value: 'emulator-3', action: 'review', reason: 'emulator', expiresAt: null },
  { id: 'e3', kind: 'ip', value: '192.0.2.0/24', action: 'review', reason: 'proxy range', expiresAt: null },
  { id: 'e4', kind: 'country', value: 'KP', action: 'block', reason: 'sanctions', expiresAt: null },
  { id: 'e5', kind: 'counterparty', value: 'merchant:payroll', action: 'allow', reason: 'payroll', expiresAt: null },
]);
const hit = (fields: Parameters<typeof monitored>[0]) =>
  listedDestination(ruleContext(monitored(fields), profileAfter([]), [], lists), params);

describe('listed_destination', () => {
  it('gives a block listing full strength and a review listing reviewStrength, naming them and the version', () => {
    const blocked = hit({ counterparty: { id: 'DE-mule', kind: 'bank_account' } });
    expect(blocked).toMatchObject({ strength: 1, firm: true });
    expect(blocked?.detail).toBe(
      'Listed (lists version 12): on the block list: counterparty bank_account:DE-mule ("mule ring")',
    );
    expect(hit({ context: { deviceId: 'emulator-3' } })?.strength).toBe(params.reviewStrength);
    expect(hit({ context: { ip: '192.0.2.55' } })?.strength).toBe(params.reviewStrength);
    expect(hit({ context: { country: 'KP' } })?.strength).toBe(1);
    const both = hit({ counterparty: { id: 'DE-mule', kind: 'bank_account' }, context: { deviceId: 'emulator-3' } });
    expect(both?.strength).toBe(1);
    expect(both?.detail).toContain('on the review list: device emulator-3 ("emulator")');
  });

  it('ignores allow listings, unlisted values and incoming money', () => {
    expect(hit({ counterparty: { id: 'payroll', kind: 'merchant' } })).toBeNull();
    expect(hit({ counterparty: { id: 'DE-other', kind: 'bank_account' }, context: { country: 'DE' } })).toBeNull();
    expect(hit({ type: 'transfer_in', counterparty: { id: 'DE-mule', kind: 'bank_account' } })).toBeNull();
  });
});
