import { type Rule, strengthBetween } from '../rule';
import type { Rules } from '../rules-file';

const KIND_WORDS: Record<string, string> = {
  bank_account: 'bank account',
  crypto_address: 'crypto address',
  wallet: 'wallet',
  card: 'card',
};

/**
 * 11. mule_destination: a payment, by an account new to the destination, to a destination that
 * at least `minNewPayers` other accounts started paying within `windowHours` (a full hit at
 * `strongNewPayers`). Many strangers suddenly paying one account is how a money mule collects
 * what a ring drains from the accounts it took over. The strength keeps
 * `unsignedFactor` of itself when none of those accounts shows takeover signs, rising linearly to
 * all of it when every one does (a takeover-sign security change or a flag of their own payment
 * within `signsWithinHours`). A long-standing payer of the destination is not judged here.
 */
export const muleDestination: Rule<Rules['mule_destination']> = ({ tx, destination }, p) => {
  if (!tx.outgoing || destination === null || !destination.payerIsNew) return null;
  const [window] = destination.windows;
  if (window.newPayers < p.minNewPayers) return null;
  const signedShare = window.newPayersWithSigns / window.newPayers;
  const strength =
    strengthBetween(window.newPayers, p.minNewPayers, p.strongNewPayers) *
    (p.unsignedFactor + (1 - p.unsignedFactor) * signedShare);
  const kind = KIND_WORDS[destination.kind] ?? destination.kind;
  return {
    strength,
    detail: `${window.newPayers} other accounts started paying this ${kind} in the last ${window.hours} hours; ${window.newPayersWithSigns} of them showed takeover signs`,
  };
};
