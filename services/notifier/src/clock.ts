/**
 * The time deliveries are stamped with (created, attempted, sent); tests pass one they can move.
 * Waits between attempts run on real timers, shortened in tests through the retry settings.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
