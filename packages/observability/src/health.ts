/** A dependency check: resolves when the dependency answers, rejects (or times out) otherwise. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, { ok: boolean; error?: string }>;
}

/**
 * Runs every check in parallel, each bounded by `timeoutMs`. Never throws; a failed check is
 * reported by name with a short message (no stack, no connection string).
 */
export async function runReadinessChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs = 2_000,
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, { ok: true }] as const;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [name, { ok: false, error: message.slice(0, 200) }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const result: ReadinessReport['checks'] = Object.fromEntries(entries);
  return { status: Object.values(result).every((c) => c.ok) ? 'ready' : 'not_ready', checks: result };
}
