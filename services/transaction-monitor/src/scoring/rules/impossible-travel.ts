import { distanceKm, travelSpeedKmh } from '@wallet-guard/contracts';
import type { Rule } from '../rule';
import { strengthBetween } from '../rule';
import type { Rules } from '../rules-file';
import { formatGap } from '../wording';

/** Great-circle distance (haversine), shared with auth's impossible-travel sign-in signal. */
export { distanceKm };

/**
 * 6. impossible_travel: this transaction's location and the previous one's are too far apart for
 * the time between them (faster than `maxSpeedKmh`; distances under `minDistanceKm` are GPS and
 * IP-geolocation noise). Four times the speed limit is a full-strength hit.
 */
export const impossibleTravel: Rule<Rules['impossible_travel']> = ({ tx, profile }, p) => {
  const last = profile.lastLocation;
  if (tx.location === null || last === null) return null;
  const km = distanceKm(last, tx.location);
  if (km < p.minDistanceKm) return null;
  const gap = Math.abs(tx.at - last.at);
  const speed = travelSpeedKmh(km, gap);
  if (speed <= p.maxSpeedKmh) return null;
  const pace = Number.isFinite(speed) ? `${Math.round(speed).toLocaleString('en')} km/h` : 'at the same instant';
  return {
    strength: strengthBetween(speed, p.maxSpeedKmh, p.maxSpeedKmh * 4),
    detail: `${Math.round(km).toLocaleString('en')} km from the previous transaction ${formatGap(gap)} apart (${pace})`,
  };
};
