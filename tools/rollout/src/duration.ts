import { UsageError } from './errors';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses a human duration such as `1h`, `90m`, `1h30m`, `2d` or `45s` into milliseconds.
 *
 * @param text - one or more `<number><unit>` groups, units `ms`, `s`, `m`, `h`, `d`; no spaces
 * @param what - what the duration is for, named in the error (e.g. `--poll-interval`)
 * @returns the duration in whole milliseconds
 * @throws UsageError when the text is empty, has an unknown unit, or is not a whole number of milliseconds
 * @example parseDuration('1h30m', '--max-extension') === 5_400_000
 */
export function parseDuration(text: string, what: string): number {
  const trimmed = text.trim();
  const group = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
  let total = 0;
  let position = 0;
  while (position < trimmed.length) {
    group.lastIndex = position;
    const match = group.exec(trimmed);
    if (!match) break;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    position = group.lastIndex;
  }
  if (trimmed.length === 0 || position !== trimmed.length) {
    throw new UsageError(`${what}: "${text}" is not a duration; write e.g. 30s, 15m, 1h, 1h30m or 2d`);
  }
  if (!Number.isInteger(total)) {
    throw new UsageError(`${what}: "${text}" is not a whole number of milliseconds`);
  }
  return total;
}

/**
 * Formats milliseconds as a compact duration in hours, minutes and seconds: `24h`, `1h 30m`, `35m 12s`, `45s`, `0s`.
 * Rounds down to whole seconds; negative values format as `0s`.
 *
 * @param ms - the duration in milliseconds
 * @returns the formatted duration, largest units first, zero units omitted
 */
export function formatDuration(ms: number): string {
  let seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3_600);
  seconds -= hours * 3_600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours}h`);
  if (minutes > 0) parts.push(`${minutes}m`);
  if (seconds > 0) parts.push(`${seconds}s`);
  return parts.length === 0 ? '0s' : parts.join(' ');
}
