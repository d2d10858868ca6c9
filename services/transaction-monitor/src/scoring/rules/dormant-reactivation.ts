import type { Rule } from '../rule';
import { strengthBetween } from '../rule';
import { amountFor, type Rules } from '../rules-file';
import { formatGap, formatMoney } from '../wording';

const DAY_MS = 86_400_000;

/**
 * 10. dormant_reactivation: a large outgoing transaction (at least `largeMin`) after `dormantDays`
 * or more without any transaction. Activity means money movement: a thief signs in first, so
 * sign-ins must not wake the account up.
 */
export const dormantReactivation: Rule<Rules['dormant_reactivation']> = ({ tx, profile }, p) => {
  if (!tx.outgoing || profile.lastActivityAt === null) return null;
  if (tx.amount < amountFor(p.largeMin, tx.currency)) return null;
  const idle = tx.at - profile.lastActivityAt;
  if (idle < p.dormantDays * DAY_MS) return null;
  return {
    strength: strengthBetween(idle / DAY_MS, p.dormantDays, p.dormantDays * 4),
    detail: `Outgoing ${formatMoney(tx.amount, tx.currency)} after ${formatGap(idle)} without activity`,
  };
};
