/**
 * The portal's one source of "now": when a stored access token is treated as expired (so it is
 * refreshed before auth would refuse it). Tests pass one they can move.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
