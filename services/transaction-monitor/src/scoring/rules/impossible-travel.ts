import type { Rule } from '../rule';
import { strengthBetween } from '../rule';
import type { Rules } from '../rules-file';
import { formatGap } from '../wording';

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance (haversine). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

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
  const speed = gap === 0 ? Number.POSITIVE_INFINITY : km / (gap / 3_600_000);
  if (speed <= p.maxSpeedKmh) return null;
  const pace = Number.isFinite(speed) ? `${Math.round(speed).toLocaleString('en')} km/h` : 'at the same instant';
  return {
    strength: strengthBetween(speed, p.maxSpeedKmh, p.maxSpeedKmh * 4),
    detail: `${Math.round(km).toLocaleString('en')} km from the previous transaction ${formatGap(gap)} apart (${pace})`,
  };
};
