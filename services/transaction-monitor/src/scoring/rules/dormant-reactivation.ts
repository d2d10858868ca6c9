import { atLeastTimes, ratioOf } from '../exact';
import type { Rule } from '../rule';
import { strengthBetween } from '../rule';
import { amountFor, type Rules } from '../rules-file';
import { manyTimesUsual } from '../usual-amount';
import { formatGap, formatMoney, percent } from '../wording';

const DAY_MS = 86_400_000;

/**
 * 10. dormant_reactivation: an outgoing transaction after `dormantDays` or more without any
 * transaction that is large for the currency (at least `largeMin`), or large for the account:
 * to a destination it never paid (or cash), at least `minAmount`, and taking `balanceFraction` of
 * the balance or `usualMultiple` times its usual amount. A forgotten account with 32.00 on it is
 * taken over the same way as one with 3,200.00; the relative hit is as strong as its share (all
 * the balance: full strength), the absolute one grows with the time asleep. Activity means money
 * movement: a thief signs in first, so sign-ins must not wake the account up.
 */
export const dormantReactivation: Rule<Rules['dormant_reactivation']> = ({ tx, profile, counterparty }, p) => {
  if (!tx.outgoing || profile.lastActivityAt === null) return null;
  const idle = tx.at - profile.lastActivityAt;
  if (idle < p.dormantDays * DAY_MS) return null;
  const asleep = strengthBetween(idle / DAY_MS, p.dormantDays, p.dormantDays * 4);
  const detail = `Outgoing ${formatMoney(tx.amount, tx.currency)} after ${formatGap(idle)} without activity`;
  if (tx.amount >= amountFor(p.largeMin, tx.currency)) return { strength: asleep, detail };
  // Relative to the account: only to a new destination, and not for pennies.
  if (counterparty !== null || tx.amount < amountFor(p.minAmount, tx.currency)) return null;
  const before = tx.balanceBefore;
  const share =
    before !== null && before > 0n && atLeastTimes(tx.amount, p.balanceFraction, before)
      ? ratioOf(tx.amount, before)
      : null;
  const usual = manyTimesUsual(profile, tx.amount, tx.currency, p);
  if (share === null && usual === null) return null;
  const relative = Math.max(
    share === null ? 0 : strengthBetween(share, p.balanceFraction, 1),
    usual === null ? 0 : strengthBetween(usual.ratio, p.usualMultiple, p.usualMultiple * 5),
  );
  const measures = [share === null ? null : `${percent(share)} of the balance`, usual?.wording ?? null];
  return {
    strength: Math.max(asleep, relative),
    detail: `${detail}: ${measures.filter((m) => m !== null).join(', ')}, to a new destination`,
  };
};
