import type { Logger } from '@wallet-guard/observability';

/**
 * Runs `task` every `intervalMs` while the service runs, never two runs at once (a slow run makes
 * the next tick skip), without keeping the process alive. A failed run is logged as `failure`
 * and the next tick retries; a run that did something (count > 0) is logged by `done`.
 * Returns the function that stops it.
 */
export function repeatWithoutOverlap(
  task: () => Promise<number>,
  options: { intervalMs: number; logger: Logger; done: (count: number) => void; failure: string },
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .then((count) => {
        if (count > 0) options.done(count);
      })
      .catch((error: unknown) => options.logger.warn({ err: error }, options.failure))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
