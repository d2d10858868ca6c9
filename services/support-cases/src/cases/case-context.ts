import type { Clock } from '../clock';
import type { CalendarSettings } from '../sla/calendar-settings';
import type { SlaPolicy } from './case-rules';

export interface AssignmentPolicy {
  /** Assign new cases by round robin among available agents. */
  auto: boolean;
  /** An agent holding this many open cases gets no more until one closes. */
  maxOpenPerAgent: number;
}

/**
 * What every change to a case takes besides its transaction: the service's clock (the one "now"
 * of the change) and its policies. Built once in `app.ts`; tests pass theirs with a `TestClock`.
 */
export interface CaseContext {
  clock: Clock;
  /**
   * Deadlines are derived from it on opening, on a priority raise and at the end of a pause, in the
   * calendar of the case's settings version (`defaultCalendars` are saved as version 1 on first use).
   */
  sla: SlaPolicy & { defaultCalendars: CalendarSettings };
  assignment: AssignmentPolicy;
  /** How long the customer of a resolved customer-facing case may rate it (see `satisfaction/`). */
  satisfaction: { expiryDays: number };
}
