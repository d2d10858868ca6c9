import { CITIES, type Persona } from './normal-account';
import {
  type Context,
  type Counterparty,
  DAY,
  HOUR,
  type Label,
  MINUTE,
  NORMAL,
  type Planned,
  type Scenario,
  shareOfBalance,
  upTo,
} from './plan';
import type { Random } from './random';

/** What the accounts of one mule ring share: where their money goes, and the ring's own laptop. */
export interface MuleRing {
  destinations: Counterparty[];
  deviceId: string;
}

/** The destinations (one or two mules) and device of a new ring. */
export function newMuleRing(rng: Random): MuleRing {
  return {
    destinations: Array.from({ length: rng.int(1, 2) }, () =>
      rng.chance(0.5)
        ? { id: `bc1q${rng.uuid().replaceAll('-', '')}`, kind: 'crypto_address' as const }
        : { id: `IBAN-MULE-${rng.uuid().slice(0, 12)}`, kind: 'bank_account' as const },
    ),
    deviceId: `ring-${rng.uuid().slice(0, 8)}`,
  };
}

/**
 * The life of an account left dormant with a small balance before `at`: opened 95 to 400 days
 * earlier with a 30.00 to 250.00 deposit, used for a few small payments (2.00 to 15.00 at the
 * persona's merchants, never below 5.00 left) over a few weeks, then untouched.
 */
export function planDormantLife(rng: Random, persona: Persona, at: number): Planned[] {
  const quietSince = at - rng.between(95, 400) * DAY;
  const usual = rng.between(200, 1_500);
  const opening = BigInt(Math.round(rng.between(30, 250)) * 100);
  const owner: Context = {
    deviceId: persona.phone,
    ip: persona.ip,
    country: persona.city.country,
    lat: persona.city.lat,
    lon: persona.city.lon,
  };
  const payments = Array.from({ length: rng.int(3, 8) }, (): Planned => {
    const wanted = BigInt(Math.max(100, Math.round(rng.lognormal(usual, 0.4))));
    return {
      kind: 'transaction',
      at: quietSince - rng.between(0, 30) * DAY,
      type: 'payment',
      amount: (balance) => (balance - wanted >= 500n ? wanted : null),
      counterparty: rng.pick(persona.merchants),
      context: owner,
      label: NORMAL,
    };
  });
  const openedAt = Math.min(...payments.map((p) => p.at)) - rng.between(1, 48) * HOUR;
  return [
    { kind: 'transaction', at: openedAt, type: 'deposit', amount: () => opening, context: owner, label: NORMAL },
    ...payments,
  ];
}

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
  ring: MuleRing | null = null,
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
    case 'mule_ring': {
      // One of several accounts a ring took over within hours (phished credentials, mostly from
      // the ring's own laptop; sometimes a stolen session seen only as a new IP), each drained in
      // one or two transfers into the ring's shared mule destinations.
      const shared = ring ?? newMuleRing(rng);
      const context: Context = { ...attacker, deviceId: shared.deviceId };
      const newDevice = rng.chance(0.8);
      const plan: Planned[] = [
        {
          kind: 'security',
          at,
          type: 'sign_in.succeeded',
          payload: {
            sessionId: rng.uuid(),
            amr: ['pwd'],
            newDevice,
            newIp: true,
            context: { ip: context.ip, deviceId: context.deviceId, country: context.country },
          },
        },
      ];
      let last = at;
      if (rng.chance(0.4)) {
        last = at + rng.between(2, 20) * MINUTE;
        plan.push({
          kind: 'security',
          at: last,
          type: 'password.changed',
          payload: { context: { ip: context.ip, deviceId: context.deviceId } },
        });
      }
      const count = rng.int(1, 2);
      let when = last + rng.between(3, 30) * MINUTE;
      for (let i = 0; i < count; i++) {
        plan.push(
          out(
            when,
            i === count - 1 ? rng.between(0.85, 1) : rng.between(0.3, 0.6),
            rng.pick(shared.destinations),
            context,
          ),
        );
        when += rng.between(1, 10) * MINUTE;
      }
      return plan;
    }
    case 'dormant_small_balance': {
      // A forgotten account (planDormantLife) with a few tens on it, taken over months later:
      // half by credential stuffing (a new-device sign-in), half through a session stolen from
      // the owner's phone (infostealer malware: no sign-in, the owner's own device), then emptied
      // to a fresh destination, at once or in two transfers minutes apart. Only the accounts'
      // own measures (dormancy, share of the balance, multiple of the usual amount) tell.
      const stuffed = rng.chance(0.5);
      const context = stuffed ? attacker : owner;
      const plan: Planned[] = stuffed
        ? [
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
          ]
        : [];
      const to = cashOut();
      const start = at + rng.between(2, 30) * MINUTE;
      if (rng.chance(0.7)) return [...plan, out(start, rng.between(0.85, 1), to, context)];
      return [
        ...plan,
        out(start, rng.between(0.5, 0.7), to, context),
        out(start + rng.between(1, 10) * MINUTE, rng.between(0.9, 1), to, context),
      ];
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
