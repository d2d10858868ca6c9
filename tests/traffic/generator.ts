import { createEvent, type SecurityEvent, TOPICS, type WalletTransaction } from '@wallet-guard/contracts';
import { newPersona, type Persona, planNormalLife } from './normal-account';
import { DAY, HOUR, isOutgoing, type Label, type Planned, SCENARIOS, type Scenario } from './plan';
import { Random } from './random';
import { type MuleRing, newMuleRing, planDormantLife, planIncident } from './scenarios';

export interface TrafficOptions {
  seed: number;
  /** Accounts with ordinary activity only. */
  normalAccounts: number;
  /** Accounts per injected scenario; each also has ordinary activity before and after. */
  incidentsPerScenario: number;
  /** Simulated days in all: a warm-up (the monitor learns the accounts) then the measured days. */
  days: number;
  /** The last days, where incidents are injected and precision and recall are measured. */
  measuredDays: number;
  /** When the simulated period ends (epoch ms): fixed, so a seed always gives the same traffic. */
  end: number;
}

export const DEFAULT_TRAFFIC: TrafficOptions = {
  seed: 20261124,
  normalAccounts: 2_000,
  incidentsPerScenario: 100,
  days: 75,
  measuredDays: 30,
  end: Date.parse('2026-11-01T00:00:00.000Z'),
};

/** Accounts per mule ring (the last ring may be smaller). */
const MULE_RING_SIZE = 5;

export interface LabelledTransaction {
  tx: WalletTransaction;
  label: Label;
}

export interface Traffic {
  /** In time order (so in order per account, as the wallet would produce them). */
  transactions: LabelledTransaction[];
  securityEvents: SecurityEvent[];
  /** Every injected incident and its scenario. */
  incidents: Map<string, Scenario>;
  /** Start of the measured days (epoch ms): earlier transactions are the warm-up. */
  measuredFrom: number;
}

/** Plays an account's plan in time order against its balance; what it cannot afford does not happen. */
function materialize(rng: Random, persona: Persona, plan: Planned[], traffic: Traffic): void {
  let balance = 0n;
  for (const step of [...plan].sort((a, b) => a.at - b.at)) {
    const occurredAt = new Date(Math.round(step.at)).toISOString();
    if (step.kind === 'security') {
      traffic.securityEvents.push(
        createEvent(TOPICS.securityEvents, {
          type: step.type,
          version: 1,
          producer: 'auth',
          accountId: persona.accountId,
          occurredAt,
          payload: step.payload,
        } as never),
      );
      continue;
    }
    const amount = step.amount(balance);
    if (amount === null) continue;
    balance += isOutgoing(step.type) ? -amount : amount;
    traffic.transactions.push({
      label: step.label,
      tx: {
        transactionId: `tx-${rng.uuid()}`,
        accountId: persona.accountId,
        type: step.type,
        amountMinor: amount.toString(),
        currency: persona.currency,
        balanceAfterMinor: balance.toString(),
        ...(step.counterparty ? { counterparty: step.counterparty } : {}),
        channel: 'app',
        context: step.context,
        occurredAt,
      },
    });
  }
}

/**
 * Simulated wallet traffic with ground truth: ordinary customers, and accounts on which one
 * account takeover, drain, structuring or test-then-large attack is injected during the measured
 * days, after a warm-up in which the monitor learns what "usual" means for each account.
 */
export function generateTraffic(options: TrafficOptions = DEFAULT_TRAFFIC): Traffic {
  const rng = new Random(options.seed);
  const from = options.end - options.days * DAY;
  const measuredFrom = options.end - options.measuredDays * DAY;
  const traffic: Traffic = { transactions: [], securityEvents: [], incidents: new Map(), measuredFrom };
  for (let i = 0; i < options.normalAccounts; i++) {
    const persona = newPersona(rng);
    materialize(rng, persona, planNormalLife(rng, persona, from, options.days), traffic);
  }
  let ring: { members: number; start: number; shared: MuleRing } | null = null;
  for (const scenario of SCENARIOS) {
    for (let i = 0; i < options.incidentsPerScenario; i++) {
      const persona = newPersona(rng);
      const incident = `${scenario}-${i}`;
      const day = Math.floor(rng.between(0, options.measuredDays - 1));
      let at = measuredFrom + day * DAY + rng.between(8, 21) * HOUR;
      if (scenario === 'mule_ring') {
        // Rings of MULE_RING_SIZE accounts taken over within a few hours of each other.
        if (ring === null || ring.members === MULE_RING_SIZE)
          ring = { members: 0, start: at, shared: newMuleRing(rng) };
        ring.members += 1;
        at = ring.start + rng.between(0, 6) * HOUR;
      }
      const plan = [
        // A dormant account has no ordinary life in the simulated days: its owner forgot it.
        ...(scenario === 'dormant_small_balance'
          ? planDormantLife(rng, persona, at)
          : planNormalLife(rng, persona, from, options.days)),
        ...planIncident(rng, scenario, persona, at, incident, scenario === 'mule_ring' ? (ring?.shared ?? null) : null),
      ];
      materialize(rng, persona, plan, traffic);
      traffic.incidents.set(incident, scenario);
    }
  }
  const byTime =
    <T>(at: (x: T) => string) =>
    (a: T, b: T) =>
      Date.parse(at(a)) - Date.parse(at(b));
  traffic.transactions.sort(byTime((t) => t.tx.occurredAt));
  traffic.securityEvents.sort(byTime((e) => e.occurredAt));
  return traffic;
}
