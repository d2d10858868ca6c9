export interface HashingLimits {
  /** Hashes running at once (each holds a libuv thread while argon2 runs). */
  concurrency: number;
  /** Hashes waiting for a turn; one more is refused at once. */
  queueMax: number;
}

/**
 * Bounded concurrency with a bounded, first-come line in front of it. argon2 already runs on
 * libuv's threads; this keeps a flood from queueing there without limit (every other endpoint
 * would wait behind it) and refuses the excess at once instead.
 */
export class HashingPool {
  private active = 0;
  private readonly line: (() => void)[] = [];

  /** `whenFull` makes the error a refused request fails with (the app answers it with 503). */
  constructor(
    private readonly limits: HashingLimits,
    private readonly whenFull: () => Error,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.line.length;
  }

  /**
   * Takes a place in line, then runs `prepare` while waiting for a turn (database work overlaps
   * the wait) and `task` holding the turn. Rejects with `whenFull()` before `prepare` starts when
   * the line is full.
   */
  async withTurn<P, T>(prepare: () => Promise<P>, task: (prepared: P) => Promise<T>): Promise<T> {
    const turn = this.enter();
    let prepared: P;
    try {
      prepared = await prepare();
    } catch (error) {
      turn.then((release) => release());
      throw error;
    }
    const release = await turn;
    try {
      return await task(prepared);
    } finally {
      release();
    }
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return this.withTurn(async () => undefined, task);
  }

  private enter(): Promise<() => void> {
    if (this.active < this.limits.concurrency) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.line.length >= this.limits.queueMax) throw this.whenFull();
    return new Promise((resolve) => this.line.push(() => resolve(this.releaser())));
  }

  /** Hands the turn to the next in line, or frees it; a second call does nothing. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.line.shift();
      if (next) next();
      else this.active--;
    };
  }
}
