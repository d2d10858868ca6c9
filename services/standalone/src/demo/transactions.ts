// The wallet's side: transactions through the monitor's POST /v1/transactions (X-Api-Key, scope
// wallet), shaped as on wallet.transactions.v1.
import { randomUUID } from 'node:crypto';
import { riskProfile, type TransactionBatchResult, type WalletTransaction } from '@wallet-guard/contracts';
import { DemoError, eventually, expectStatus, send } from './http-client';
import type { Device } from './people';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WALLET = { 'x-api-key': 'dev-wallet-key' };
const INTERNAL = { 'x-api-key': 'dev-internal-key' };

const MERCHANTS = ['grocer-berlin', 'bakery-corner', 'metro-transit', 'pharmacy-24', 'cafe-lumen', 'bookshop-atlas'];

const tx = (
  accountId: string,
  fields: Partial<WalletTransaction> & Pick<WalletTransaction, 'amountMinor' | 'occurredAt'>,
) =>
  ({
    transactionId: `demo-${randomUUID()}`,
    accountId,
    type: 'payment',
    currency: 'EUR',
    channel: 'app',
    ...fields,
  }) satisfies WalletTransaction;

const contextOf = (d: Device) => ({ deviceId: d.deviceId, ip: d.ip, country: d.country, lat: d.lat, lon: d.lon });

/** Two weeks of everyday spending from the owner's phone: what "usual" looks like to the monitor. */
export function everydaySpending(accountId: string, phone: Device, startBalanceMinor: number): WalletTransaction[] {
  const now = Date.now();
  let balance = startBalanceMinor;
  const items: WalletTransaction[] = [
    tx(accountId, {
      type: 'deposit',
      amountMinor: String(startBalanceMinor),
      balanceAfterMinor: String(balance),
      counterparty: { id: 'employer-payroll', kind: 'bank_account', country: phone.country },
      occurredAt: new Date(now - 15 * DAY).toISOString(),
    }),
  ];
  for (let day = 14; day >= 1; day--) {
    const amount = 1200 + ((day * 737) % 4300); // 12.00 to 55.00 EUR
    balance -= amount;
    items.push(
      tx(accountId, {
        amountMinor: String(amount),
        balanceAfterMinor: String(balance),
        counterparty: { id: MERCHANTS[day % MERCHANTS.length] as string, kind: 'merchant', country: phone.country },
        context: contextOf(phone),
        occurredAt: new Date(now - day * DAY + 9 * HOUR).toISOString(),
      }),
    );
  }
  return items;
}

/** Three tiny payments then a large one within the hour: how card testers check stolen details. */
export function testThenLarge(accountId: string, phone: Device, balanceMinor: number): WalletTransaction[] {
  const now = Date.now();
  const amounts = [100, 150, 100, 34_900];
  let balance = balanceMinor;
  return amounts.map((amount, i) => {
    balance -= amount;
    return tx(accountId, {
      amountMinor: String(amount),
      balanceAfterMinor: String(balance),
      counterparty: { id: 'gift-cards-online', kind: 'merchant', country: 'CY' },
      context: contextOf(phone),
      occurredAt: new Date(now - (40 - i * 10) * 60_000).toISOString(),
    });
  });
}

/** The thief empties the account to a bank account nobody paid before, from their own laptop. */
export function drainToNewCounterparty(accountId: string, from: Device, balanceMinor: number): WalletTransaction {
  const keep = 2_000;
  return tx(accountId, {
    type: 'transfer_out',
    amountMinor: String(balanceMinor - keep),
    balanceAfterMinor: String(keep),
    counterparty: { id: 'NL91ABNA0417164300', kind: 'bank_account', country: 'NL' },
    context: contextOf(from),
    occurredAt: new Date().toISOString(),
  });
}

export async function submit(monitor: string, transactions: WalletTransaction[]): Promise<void> {
  const answer = await send(monitor, 'POST', '/v1/transactions', { body: { transactions }, headers: WALLET });
  const result = expectStatus<TransactionBatchResult>(answer, 202, 'submit transactions');
  if (result.rejected > 0) {
    const codes = result.results.flatMap((r) => (r.error ? [r.error.code] : []));
    throw new Error(`the monitor refused ${result.rejected} demo transactions (${codes.join(', ')})`);
  }
}

/** Waits until the monitor has applied `count` transactions and seen the security events named. */
export function monitorHasSeen(monitor: string, accountId: string, count: number, eventTypes: string[] = []) {
  return eventually(`the monitor to apply the history of ${accountId}`, async () => {
    const answer = await send(monitor, 'GET', `/v1/accounts/${accountId}/risk`, { headers: INTERNAL });
    if (answer.status !== 200) return undefined;
    const parsed = riskProfile.safeParse(answer.body);
    if (!parsed.success) throw new DemoError('the monitor answered a risk profile in an unexpected shape');
    const profile = parsed.data;
    const seen = new Set(profile.recentSecurityEvents.map((e) => e.type));
    return profile.transactionCount >= count && eventTypes.every((t) => seen.has(t)) ? true : undefined;
  });
}
