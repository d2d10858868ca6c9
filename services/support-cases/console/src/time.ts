import { useEffect, useState } from 'react';

/** The current time, re-rendering every `intervalMs`: what drives the live countdowns. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** How far away `dueAt` (ISO 8601) is at `now` (ms since the epoch): the length, and whether it passed. */
export function untilDue(dueAt: string, now: number): { ms: number; overdue: boolean } {
  const left = Date.parse(dueAt) - now;
  return { ms: Math.abs(left), overdue: left < 0 };
}
