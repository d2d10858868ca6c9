import type { Clock } from '../clock';
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
  /** Deadlines are derived from it on opening, on a priority raise and at the end of a pause. */
  sla: SlaPolicy;
  assignment: AssignmentPolicy;
}
