import {
  type Context,
  type Counterparty,
  DAY,
  HOUR,
  MINUTE,
  NORMAL,
  type Planned,
  type PlannedTransaction,
  upTo,
} from './plan';
import type { Random } from './random';

export interface City {
  country: string;
  lat: number;
  lon: number;
  currency: 'EUR' | 'GBP' | 'USD';
}

export const CITIES: City[] = [
  { country: 'DE', lat: 52.52, lon: 13.405, currency: 'EUR' },
  { country: 'FR', lat: 48.857, lon: 2.352, currency: 'EUR' },
  { country: 'ES', lat: 40.417, lon: -3.704, currency: 'EUR' },
  { country: 'IT', lat: 41.903, lon: 12.496, currency: 'EUR' },
  { country: 'NL', lat: 52.37, lon: 4.895, currency: 'EUR' },
  { country: 'PL', lat: 52.23, lon: 21.012, currency: 'EUR' },
  { country: 'GB', lat: 51.507, lon: -0.128, currency: 'GBP' },
  { country: 'US', lat: 40.713, lon: -74.006, currency: 'USD' },
];

/** Who an account's owner is: where they live, what they spend, whom they pay. */
export interface Persona {
  accountId: string;
  city: City;
  currency: City['currency'];
  phone: string;
  ip: string;
  /** Typical card payment, minor units. */
  medianPayment: number;
  paymentsPerDay: number;
  merchants: Counterparty[];
  friends: Counterparty[];
  landlord: Counterparty;
  salary: number;
  rent: number;
  payday: number;
}

export function newPersona(rng: Random): Persona {
  const city = rng.pick(CITIES);
  const salary = Math.round(rng.between(2_000, 6_000)) * 100;
  const paymentsPerDay = rng.between(0.5, 3);
  // Card spending takes a quarter to a half of the salary; a log-normal's mean is 1.2x its median.
  const medianPayment = Math.max(200, Math.round((salary * rng.between(0.25, 0.45)) / (30 * paymentsPerDay * 1.2)));
  return {
    accountId: rng.uuid(),
    city,
    currency: city.currency,
    phone: `phone-${rng.uuid().slice(0, 8)}`,
    ip: rng.ip(),
    medianPayment,
    paymentsPerDay,
    merchants: Array.from({ length: rng.int(5, 25) }, () => ({ id: `m-${rng.uuid().slice(0, 12)}`, kind: 'merchant' })),
    friends: Array.from({ length: rng.int(1, 4) }, () => ({ id: `w-${rng.uuid().slice(0, 12)}`, kind: 'wallet' })),
    landlord: { id: `IBAN-${rng.uuid().slice(0, 12)}`, kind: 'bank_account' },
    salary,
    rent: Math.round(salary * rng.between(0.2, 0.35)),
    payday: rng.int(0, 29),
  };
}

/**
 * A month (or `days`) of an ordinary customer's life: salary, rent, card payments (mostly at
 * favourite merchants, sometimes a new one, now and then a big purchase), transfers to friends,
 * cash withdrawals, and a sign-in before each day's first payment. Some customers get a new phone,
 * change their password, travel abroad or see their home IP change: the noise a monitor must
 * not flag.
 */
export function planNormalLife(rng: Random, persona: Persona, from: number, days: number): Planned[] {
  const plan: Planned[] = [];
  let device = persona.phone;
  let ip = persona.ip;
  let ipIsNew = false;
  let deviceIsNew = false;
  const newPhoneDay = rng.chance(0.03) ? rng.int(1, days - 1) : -1;
  const passwordDay = rng.chance(0.02) ? rng.int(1, days - 1) : -1;
  const trip = rng.chance(0.05) ? { start: rng.int(1, days - 3), length: rng.int(2, 6), city: rng.pick(CITIES) } : null;
  const where = (day: number): Context => {
    const city = trip && day >= trip.start && day < trip.start + trip.length ? trip.city : persona.city;
    return {
      deviceId: device,
      ip,
      country: city.country,
      lat: Number((city.lat + rng.between(-0.04, 0.04)).toFixed(4)),
      lon: Number((city.lon + rng.between(-0.04, 0.04)).toFixed(4)),
    };
  };
  const pay = (
    at: number,
    amount: number,
    counterparty: Counterparty,
    day: number,
    type: PlannedTransaction['type'] = 'payment',
  ) =>
    plan.push({
      kind: 'transaction',
      at,
      type,
      amount: upTo(amount),
      counterparty,
      context: where(day),
      label: NORMAL,
    });

  const opening = Math.round(rng.between(300, 4_000)) * 100;
  plan.push({
    kind: 'transaction',
    at: from,
    type: 'deposit',
    amount: () => BigInt(opening),
    context: where(0),
    label: NORMAL,
  });

  for (let day = 0; day < days; day++) {
    const start = from + day * DAY;
    if (day === newPhoneDay) {
      device = `phone-${rng.uuid().slice(0, 8)}`;
      deviceIsNew = true;
    }
    if (trip && (day === trip.start || day === trip.start + trip.length)) {
      ip = rng.ip();
      ipIsNew = true;
    } else if (rng.chance(0.04)) {
      ip = rng.ip();
      ipIsNew = true;
    }
    if (day % 30 === persona.payday) {
      const employer = { id: `IBAN-employer-${persona.accountId.slice(0, 6)}`, kind: 'bank_account' as const };
      plan.push({
        kind: 'transaction',
        at: start + 7 * HOUR,
        type: 'transfer_in',
        amount: () => BigInt(persona.salary),
        counterparty: employer,
        context: {},
        label: NORMAL,
      });
    }
    if (day % 30 === (persona.payday + 2) % 30)
      pay(start + 10 * HOUR, persona.rent, persona.landlord, day, 'transfer_out');

    const times = Array.from(
      { length: rng.poisson(persona.paymentsPerDay) },
      () => start + rng.between(8, 22) * HOUR,
    ).sort((a, b) => a - b);
    for (const at of times) {
      const big = rng.chance(0.01);
      const merchant = rng.chance(big ? 0.5 : 0.05)
        ? { id: `m-${rng.uuid().slice(0, 12)}`, kind: 'merchant' as const }
        : rng.chance(0.7)
          ? rng.pick(persona.merchants.slice(0, 5))
          : rng.pick(persona.merchants);
      const amount = big
        ? persona.medianPayment * rng.between(8, 25)
        : Math.max(50, rng.lognormal(persona.medianPayment, 0.6));
      pay(at, amount, merchant, day);
    }
    if (rng.chance(0.15)) {
      const friend = rng.chance(0.1)
        ? { id: `w-${rng.uuid().slice(0, 12)}`, kind: 'wallet' as const }
        : rng.pick(persona.friends);
      pay(start + rng.between(9, 21) * HOUR, rng.between(10, 150) * 100, friend, day, 'transfer_out');
    }
    if (rng.chance(0.08)) {
      plan.push({
        kind: 'transaction',
        at: start + rng.between(9, 20) * HOUR,
        type: 'withdrawal',
        amount: upTo(rng.int(2, 20) * 1_000),
        context: where(day),
        label: NORMAL,
      });
    }
    const firstOutgoing = times[0];
    if (firstOutgoing !== undefined) {
      const context = where(day);
      plan.push({
        kind: 'security',
        at: firstOutgoing - rng.between(1, 20) * MINUTE,
        type: 'sign_in.succeeded',
        payload: {
          sessionId: rng.uuid(),
          amr: ['pwd'],
          newDevice: deviceIsNew,
          newIp: ipIsNew || deviceIsNew,
          context: { ip: context.ip, deviceId: context.deviceId, country: context.country },
        },
      });
      deviceIsNew = false;
      ipIsNew = false;
    }
    if (day === passwordDay) {
      plan.push({
        kind: 'security',
        at: start + rng.between(8, 22) * HOUR,
        type: 'password.changed',
        payload: { context: { ip, deviceId: device } },
      });
    }
  }
  return plan;
}
