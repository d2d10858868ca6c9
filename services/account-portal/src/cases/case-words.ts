import type { CaseStatus, CaseType } from '@wallet-guard/contracts';

/**
 * A case's status in the customer's words (keys under `cases.status`): what they need to know is
 * whether someone has it and whether it waits for them. Escalation is the agents' business, and
 * priority is never shown.
 */
export const CUSTOMER_STATUS: Record<CaseStatus, 'received' | 'working' | 'waiting' | 'resolved'> = {
  new: 'received',
  open: 'working',
  escalated: 'working',
  pending_customer: 'waiting',
  resolved: 'resolved',
  closed: 'resolved',
};

/** What the customer asked for (keys under `cases.type`); cases the system opened read as "security". */
export const customerTypeKey = (type: CaseType): string => {
  switch (type) {
    case 'customer_complaint':
      return 'complaint';
    case 'customer_question':
      return 'question';
    case 'transaction_dispute':
      return 'dispute';
    case 'customer_theft_report':
      return 'theft';
    default:
      return 'security';
  }
};

/** The customer may still write on a case that is not resolved or closed (support-cases refuses it too). */
export const acceptsMessages = (status: CaseStatus): boolean => CUSTOMER_STATUS[status] !== 'resolved';

/** The categories the portal's form offers: a theft report is the security page's freeze. */
export const PORTAL_CATEGORIES = ['complaint', 'question', 'transaction_dispute'] as const;
export type PortalCategory = (typeof PORTAL_CATEGORIES)[number];
