import { Piscina } from 'piscina';

/** zxcvbn's verdict on a password, as the policy needs it. */
export interface StrengthEstimate {
  /** 0 (guessable in seconds) to 4 (very hard to guess). */
  score: number;
  warning: string | null;
  suggestions: string[];
  /** Share of the password's characters that match the user's own inputs (email and its parts). */
  userInputShare: number;
}

/**
 * zxcvbn-ts on a worker thread with a bounded queue. Registration and password changes are rare
 * next to sign-ins, so one thread is plenty; a flood of them is refused instead of queued. The
 * thread starts with the first estimate and stops after a minute without one: its dictionaries
 * hold about 60 MB, which a service that mostly signs people in should not keep for nothing.
 */
export class StrengthEstimator {
  private readonly pool: Piscina;

  /** `whenFull` makes the error a refused request fails with (the app answers it with 503). */
  constructor(
    private readonly whenFull: () => Error,
    private readonly queueMax = 64,
  ) {
    this.pool = new Piscina({
      filename: new URL('./strength-worker.mjs', import.meta.url).href,
      minThreads: 0,
      maxThreads: 1,
      idleTimeout: 60_000,
      maxQueue: queueMax,
    });
  }

  async estimate(password: string, userInputs: readonly string[]): Promise<StrengthEstimate> {
    if (this.pool.queueSize >= this.queueMax) throw this.whenFull();
    try {
      return (await this.pool.run({ password, userInputs: [...userInputs] })) as StrengthEstimate;
    } catch (error) {
      if (error instanceof Error && /queue is at limit/.test(error.message)) throw this.whenFull();
      throw error;
    }
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
