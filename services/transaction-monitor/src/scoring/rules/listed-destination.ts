import { describeListing, listingsOf } from '../../lists/lists-snapshot';
import type { Rule } from '../rule';
import type { Rules } from '../rules-file';

/**
 * An outgoing transaction whose payee, device, IP address (most specific prefix) or country is on
 * the block list (full strength) or the review list (`reviewStrength`); the strongest listing
 * sets the strength, the detail names every one. Firm: an allow listing never takes it off.
 */
export const listedDestination: Rule<Rules['listed_destination']> = (ctx, params) => {
  if (!ctx.tx.outgoing) return null;
  const listed = listingsOf(ctx.lists, ctx.tx).filter((l) => l.entry.action !== 'allow');
  if (listed.length === 0) return null;
  const blocked = listed.filter((l) => l.entry.action === 'block');
  const reviewed = listed.filter((l) => l.entry.action === 'review');
  const parts = [
    ...(blocked.length > 0 ? [`on the block list: ${blocked.map(describeListing).join(', ')}`] : []),
    ...(reviewed.length > 0 ? [`on the review list: ${reviewed.map(describeListing).join(', ')}`] : []),
  ];
  return {
    strength: blocked.length > 0 ? 1 : params.reviewStrength,
    detail: `Listed (lists version ${ctx.lists.version}): ${parts.join('; ')}`,
    firm: true,
  };
};
