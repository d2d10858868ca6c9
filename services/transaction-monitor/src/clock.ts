/**
 * The time the monitor's own work runs on (freeze retries, retention); tests pass one they can
 * move. Rules never read it: they score on the transaction's own time, so a replay scores the same.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
