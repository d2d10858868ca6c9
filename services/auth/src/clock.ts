/**
 * The service's one source of "now". Domain code never reads the system time itself: it asks the
 * clock it was given, so tests move time (lock windows, token expiry, TOTP steps) by moving it.
 */
export type Clock = () => Date;

/** The real time, for everything but tests. */
export const systemClock: Clock = () => new Date();
