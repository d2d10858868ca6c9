import { z } from 'zod';
import { customerCaseView } from './cases';
import type { ApiEndpoint } from './endpoint';

/** What a customer may ask support-cases for (a theft report also freezes the account at once). */
const CUSTOMER_CASE_CATEGORIES = ['complaint', 'theft_report', 'question', 'transaction_dispute'] as const;

/** The answer to a customer's new case or message: the case and its status now. */
const customerCaseAnswer = z.object({ caseId: z.uuid(), caseNumber: z.string(), status: z.string() });

/**
 * Support-cases' customer routes (scope `wallet`, `x-api-key`) as the wallet backend and the
 * account portal call them with `createServiceClient` from `@wallet-guard/http`. The caller
 * vouches for `accountId` (its own signed-in customer); a case of another account is 404
 * `CASE_NOT_FOUND`, a resolved or closed one refuses a message with 409 `CASE_CLOSED`.
 */
export const casesCustomerApi = {
  /** Opens a case for the customer; 201 with the case (`accountFrozen` for a theft report). */
  openCustomerCase: {
    method: 'POST',
    path: '/v1/customer-cases',
    body: z.object({
      accountId: z.uuid(),
      category: z.enum(CUSTOMER_CASE_CATEGORIES),
      message: z.string(),
      transactionIds: z.array(z.string()).optional(),
      locale: z.string().optional(),
    }),
    responses: { 201: customerCaseAnswer.extend({ accountFrozen: z.boolean() }) },
  },
  /** The customer's latest cases (at most 50, newest first) with the notes meant for them. */
  listCustomerCases: {
    method: 'GET',
    path: '/v1/customer-cases',
    query: z.object({ accountId: z.uuid() }),
    responses: { 200: z.object({ items: z.array(customerCaseView) }) },
  },
  /** The customer writes on their case; a case waiting for them goes back to `open`. */
  addCustomerMessage: {
    method: 'POST',
    path: '/v1/customer-cases/:id/messages',
    body: z.object({ accountId: z.uuid(), body: z.string() }),
    responses: { 201: customerCaseAnswer },
  },
  /**
   * The customer rates their resolved case, once: 201 with the rating. 409 CASE_NOT_RESOLVED,
   * CASE_SATISFACTION_NOT_REQUESTED or CASE_SATISFACTION_ALREADY_ANSWERED; 410
   * CASE_SATISFACTION_EXPIRED; 404 CASE_NOT_FOUND for another account's case.
   */
  rateCustomerCase: {
    method: 'POST',
    path: '/v1/customer-cases/:id/satisfaction',
    body: z.object({ accountId: z.uuid(), rating: z.number().int(), comment: z.string().optional() }),
    responses: {
      201: z.object({ caseId: z.uuid(), caseNumber: z.string(), rating: z.number().int(), answeredAt: z.string() }),
    },
  },
} as const satisfies Record<string, ApiEndpoint>;
