import { describeListing, listingsOf } from '../../lists/lists-snapshot';
import type { Rule } from '../rule';
import type { Rules } from '../rules-file';

/**
 * An outgoing transaction to an allow-listed payee (`counterpartyStrength`) or from an
 * allow-listed device, IP address or country (`contextStrength`); the strongest sets the
 * strength. Its points are taken OFF the score, with the caps `scoreTransaction` applies.
 */
export const allowListed: Rule<Rules['allow_listed']> = (ctx, params) => {
  if (!ctx.tx.outgoing) return null;
  const allowed = listingsOf(ctx.lists, ctx.tx).filter((l) => l.entry.action === 'allow');
  if (allowed.length === 0) return null;
  const strength = Math.max(
    ...allowed.map((l) => (l.on === 'counterparty' ? params.counterpartyStrength : params.contextStrength)),
  );
  return {
    strength,
    detail: `On the allow list (lists version ${ctx.lists.version}): ${allowed.map(describeListing).join(', ')}`,
  };
};
