import type { Clock } from '../clock';

/**
 * The service's clock in tests: the real time, moved forward by `advance` (a customer away for a
 * day, a deadline passing) instead of rewriting rows. It keeps running between advances, so
 * things done one after the other still get increasing times.
 */
export class TestClock {
  private offsetMs = 0;

  /** Give this to the service (`createCasesServer` extras, a `CaseContext`). */
  readonly now: Clock = () => new Date(Date.now() + this.offsetMs);

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
