import { CITIES, type Persona } from './normal-account';
import {
  type Context,
  type Counterparty,
  HOUR,
  type Label,
  MINUTE,
  type Planned,
  type Scenario,
  shareOfBalance,
  upTo,
} from './plan';
import type { Random } from './random';

/**
 * One injected attack on `persona`'s account starting at `at`, as the planned events it consists
 * of. Each follows what fraud teams describe: the attacker's own device and country where they
 * have one, amounts sized against the balance they find, a fresh counterparty to cash out to.
 */
export function planIncident(
  rng: Random,
  scenario: Scenario,
  persona: Persona,
  at: number,
  incident: string,
): Planned[] {
  const malicious: Label = { scenario, incident, malicious: true };
  const elsewhere = rng.pick(CITIES.filter((c) => c.country !== persona.city.country));
  const attacker: Context = {
    deviceId: `dev-${rng.uuid().slice(0, 8)}`,
    ip: rng.ip(),
    country: elsewhere.country,
    lat: elsewhere.lat,
    lon: elsewhere.lon,
  };
  const owner: Context = {
    deviceId: persona.phone,
    ip: persona.ip,
    country: persona.city.country,
    lat: persona.city.lat,
    lon: persona.city.lon,
  };
  const cashOut = (): Counterparty =>
    rng.chance(0.5)
      ? { id: `bc1q${rng.uuid().replaceAll('-', '')}`, kind: 'crypto_address' }
      : { id: `IBAN-${rng.uuid().slice(0, 14)}`, kind: 'bank_account' };
  const out = (when: number, share: number, counterparty: Counterparty, context: Context): Planned => ({
    kind: 'transaction',
    at: when,
    type: 'transfer_out',
    amount: shareOfBalance(share),
    counterparty,
    context,
    label: malicious,
  });
  /** `count` transfers to one counterparty, the last taking (nearly) everything left. */
  const drain = (start: number, count: number, context: Context) => {
    const to = cashOut();
    return Array.from({ length: count }, (_, i) =>
      out(
        start + i * rng.between(1, 8) * MINUTE,
        i === count - 1 ? rng.between(0.9, 1) : rng.between(0.3, 0.6),
        to,
        context,
      ),
    );
  };

  switch (scenario) {
    case 'account_takeover': {
      const plan: Planned[] = [
        {
          kind: 'security',
          at,
          type: 'sign_in.succeeded',
          payload: {
            sessionId: rng.uuid(),
            amr: ['pwd'],
            newDevice: true,
            newIp: true,
            context: { ip: attacker.ip, deviceId: attacker.deviceId, country: attacker.country },
          },
        },
      ];
      let last = at;
      if (rng.chance(0.7)) {
        last = at + rng.between(2, 30) * MINUTE;
        const change = rng.pick(['totp.disabled', 'password.changed', 'password.reset'] as const);
        plan.push({
          kind: 'security',
          at: last,
          type: change,
          payload: { context: { ip: attacker.ip, deviceId: attacker.deviceId } },
        });
      }
      return [...plan, ...drain(last + rng.between(3, 40) * MINUTE, rng.int(1, 3), attacker)];
    }
    case 'drain':
      return drain(at, rng.int(1, 3), rng.chance(0.5) ? owner : { ...owner, deviceId: attacker.deviceId });
    case 'structuring': {
      const deposit: Planned = {
        kind: 'transaction',
        at: at - rng.between(2, 24) * HOUR,
        type: 'transfer_in',
        amount: () => BigInt(Math.round(rng.between(40_000, 80_000)) * 100),
        counterparty: { id: `IBAN-${rng.uuid().slice(0, 14)}`, kind: 'bank_account' },
        context: {},
        label: { ...malicious, malicious: false },
      };
      const payees = Array.from({ length: rng.int(1, 2) }, cashOut);
      let when = at;
      const transfers = Array.from({ length: rng.int(3, 5) }, () => {
        const planned: Planned = {
          kind: 'transaction',
          at: when,
          type: 'transfer_out',
          amount: upTo(1_000_000 * rng.between(0.905, 0.995)),
          counterparty: rng.pick(payees),
          context: owner,
          label: malicious,
        };
        when += rng.between(1, 6) * HOUR;
        return planned;
      });
      return [deposit, ...transfers];
    }
    case 'test_then_large': {
      const context = rng.chance(0.5) ? attacker : owner;
      let when = at;
      const tests = Array.from({ length: rng.int(3, 6) }, (): Planned => {
        when += rng.between(1, 5) * MINUTE;
        return {
          kind: 'transaction',
          at: when,
          type: 'payment',
          amount: upTo(rng.int(10, 200)),
          counterparty: { id: `m-${rng.uuid().slice(0, 12)}`, kind: 'merchant' },
          context,
          label: malicious,
        };
      });
      const large: Planned = {
        kind: 'transaction',
        at: when + rng.between(5, 40) * MINUTE,
        type: 'payment',
        amount: (balance) => {
          const wanted = BigInt(Math.round(rng.between(300, 2_500)) * 100);
          return wanted <= balance ? wanted : balance > 0n ? balance : null;
        },
        counterparty: cashOut(),
        context,
        label: malicious,
      };
      return [...tests, large];
    }
  }
}
