/** The SigV4 time stamp: ISO 8601 basic format in UTC, `YYYYMMDD'T'HHMMSS'Z'`. */
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * Formats a date as a SigV4 time stamp (milliseconds dropped).
 *
 * @param date - the instant
 * @returns e.g. `20150830T123600Z`
 */
export function toAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * Parses a SigV4 time stamp strictly: the exact basic format, and a real calendar instant (no month 13, no Feb 30).
 *
 * @param value - e.g. `20150830T123600Z`
 * @returns the instant, or `undefined` when the value is not a valid time stamp
 */
export function parseAmzDate(value: string): Date | undefined {
  const match = AMZ_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year as number, (month as number) - 1, day, hour, minute, second));
  return toAmzDate(date) === value ? date : undefined;
}
