import { minorUnitDigits } from '@wallet-guard/contracts';
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

/** "2d 3h", "2h 05m 09s", "4m 09s", "12s": seconds under a day, so the clock visibly runs. */
function span(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s % 60)}s`;
  if (m > 0) return `${m}m ${pad(s % 60)}s`;
  return `${s % 60}s`;
}

/** "due in 3h 59m" or "overdue by 2m 10s". */
export function countdown(dueAt: string, now: number): { text: string; overdue: boolean } {
  const left = Date.parse(dueAt) - now;
  return left >= 0
    ? { text: `due in ${span(left)}`, overdue: false }
    : { text: `overdue by ${span(-left)}`, overdue: true };
}

const instantFormat = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
export const formatInstant = (iso: string) => instantFormat.format(new Date(iso));

/** "1,250.00 EUR" from "125000" minor units, exact for any 64-bit amount (no float). */
export function formatMoney(amountMinor: string, currency: string): string {
  // ISO 4217 minor units, not CLDR's display digits (HUF has 2 minor digits, CLDR shows 0).
  const digits = minorUnitDigits(currency);
  const text = amountMinor.padStart(digits + 1, '0');
  const whole = BigInt(digits === 0 ? text : text.slice(0, -digits)).toLocaleString('en');
  return `${digits === 0 ? whole : `${whole}.${text.slice(-digits)}`} ${currency}`;
}
