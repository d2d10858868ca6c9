// The page's periods and figures as the API takes and the tables show them.
const DAY_MS = 86_400_000;

/** A `YYYY-MM-DD` day (UTC) as the date input holds it. */
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** From the start of the first day to the end of the last (UTC): "1 to 7 November" covers 7 November. */
export function periodOf(fromDay: string, toDay: string): { from: string; to: string } {
  return {
    from: `${fromDay}T00:00:00.000Z`,
    to: new Date(Date.parse(`${toDay}T00:00:00.000Z`) + DAY_MS).toISOString(),
  };
}

/** "83.3 %", or a dash when nothing is labelled (no denominator). */
export const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10} %`);
