/** A point in WGS 84 degrees. */
export interface GeoPoint {
  lat: number;
  lon: number;
}

/** Mean Earth radius (IUGG), in km. */
const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/**
 * Great-circle distance in km (haversine), shared by the monitor's impossible-travel rule and
 * auth's impossible-travel sign-in signal so both measure alike. Never throws.
 */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Speed in km/h needed to cover `km` in `gapMs` (either order of the two instants); infinite for
 * two places at the same instant. Never throws.
 */
export function travelSpeedKmh(km: number, gapMs: number): number {
  const gap = Math.abs(gapMs);
  return gap === 0 ? Number.POSITIVE_INFINITY : km / (gap / 3_600_000);
}
