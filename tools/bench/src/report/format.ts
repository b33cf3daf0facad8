/**
 * Number formatting for the report: few significant digits, fixed conventions, so that two reports line up.
 */

/**
 * Formats a duration with precision that suits its size: `0.123`, `4.56`, `45.6`, `456`.
 *
 * @param value - a duration (any unit), or `undefined`
 * @returns the digits, or `–` for a missing or non-finite value
 */
export function formatNumber(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const size = Math.abs(value);
  if (size >= 100) return value.toFixed(0);
  if (size >= 10) return value.toFixed(1);
  if (size >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

/**
 * Formats milliseconds: `45.6 ms`.
 *
 * @param value - milliseconds, or `undefined`
 */
export function formatMs(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${formatNumber(value)} ms`;
}

/**
 * Formats a ratio with two decimals and a multiplication sign: `1.03×`.
 *
 * @param value - the ratio, or `undefined`
 */
export function formatRatio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(2)}×`;
}

/**
 * Formats an interval `[low–high]` with the given formatter, or `–` when either end is missing.
 *
 * @param low - lower end
 * @param high - upper end
 * @param format - formats each end (default {@link formatNumber})
 */
export function formatInterval(low: number | undefined, high: number | undefined, format: (value: number) => string = formatNumber): string {
  if (low === undefined || high === undefined || !Number.isFinite(low) || !Number.isFinite(high)) return '–';
  return `${format(low)}–${format(high)}`;
}

/**
 * Formats a byte count in binary units: `512 B`, `116.7 KiB`, `1.23 MiB`.
 *
 * @param bytes - a byte count, or `undefined`
 */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '–';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}

/**
 * Formats a rate: `123.4/s`.
 *
 * @param perSecond - events per second, or `undefined`
 */
export function formatRate(perSecond: number | undefined): string {
  return perSecond === undefined || !Number.isFinite(perSecond) ? '–' : `${formatNumber(perSecond)}/s`;
}

/**
 * Escapes a value for a markdown table cell (pipes and line breaks would break the row).
 *
 * @param text - the cell text
 */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Renders a markdown table.
 *
 * @param header - column titles
 * @param rows - cells, one array per row, as many as there are columns
 * @param align - per column, `l` or `r` (default: first column left, others right)
 * @returns the table, one line per row, without a trailing newline
 * @throws Error when a row has the wrong number of cells
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const alignment = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`a table row has ${row.length} cells, the header ${header.length}: ${row.join(', ')}`);
  }
  return [line(header), `|${alignment.map((a) => (a === 'r' ? '---:' : ':---')).join('|')}|`, ...rows.map(line)].join('\n');
}
