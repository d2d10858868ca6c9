/**
 * The service's one source of "now": every time a case records (opening, deadlines, pauses, the
 * timeline, breaches, settling unanswered actions) and every check against the time comes from it.
 * Tests move it (`TestClock` in `testing/`) instead of rewriting rows.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
