/**
 * Work a request starts after answering, so that how long the answer takes says nothing about
 * what the work found (a reset request for an existing account does more than one for an
 * unknown email). The service waits for it on close; tests wait with `settled()`.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<void>>();

  /** Starts `work` now; its failure goes to `onError` (never thrown, never unhandled). */
  run(work: () => Promise<unknown>, onError: (error: unknown) => void): void {
    const task: Promise<void> = Promise.resolve()
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Resolves once everything started so far (and anything it started) has finished. Never rejects. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
