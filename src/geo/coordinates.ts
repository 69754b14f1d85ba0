import { DomainError } from '../core/errors.ts';
import type { GeoPoint } from '../core/model.ts';

// A plain decimal: "43.238", "-0.5", "+76". No exponents, hex, "Infinity" or empty strings, which Number() would take.
const DECIMAL = /^[+-]?(?:\d{1,3}(?:\.\d{1,12})?|\.\d{1,12})$/;

/**
 * A point from two texts (a query string, command-line arguments): ERR_INVALID_LOCATION, naming the field,
 * when either is not a decimal number or out of range (|lat| ≤ 90, |lon| ≤ 180).
 */
export function parsePoint(lat: string, lon: string): GeoPoint {
  return { lat: parseCoordinate('lat', lat, 90), lon: parseCoordinate('lon', lon, 180) };
}

function parseCoordinate(field: 'lat' | 'lon', text: string, limit: number): number {
  const trimmed = text.trim();
  const value = DECIMAL.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isFinite(value)) throw new DomainError('ERR_INVALID_LOCATION', `${field} must be a decimal number of degrees`, { field, value: text.slice(0, 40) });
  if (Math.abs(value) > limit) throw new DomainError('ERR_INVALID_LOCATION', `${field} must lie between -${limit} and ${limit}`, { field, value });
  return value;
}
