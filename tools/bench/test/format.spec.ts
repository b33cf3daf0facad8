import { cell, formatBytes, formatInterval, formatMs, formatNumber, formatRate, formatRatio, markdownTable } from '../src/report/format';

describe('number formatting', () => {
  it('keeps about three significant digits', () => {
    expect([0.12345, 4.5678, 45.678, 456.78, 4567.8].map(formatNumber)).toEqual(['0.123', '4.57', '45.7', '457', '4568']);
  });

  it('prints a dash for a missing or non-finite value', () => {
    expect(formatNumber(undefined)).toBe('–');
    expect(formatMs(Number.NaN)).toBe('–');
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('–');
    expect(formatInterval(1, undefined)).toBe('–');
    expect(formatRate(undefined)).toBe('–');
    expect(formatBytes(undefined)).toBe('–');
  });

  it('formats units', () => {
    expect(formatMs(12.345)).toBe('12.3 ms');
    expect(formatRatio(1.0349)).toBe('1.03×');
    expect(formatInterval(0.981, 1.07)).toBe('0.981–1.07');
    expect(formatRate(23.41)).toBe('23.4/s');
    expect([512, 119510, 1062000].map(formatBytes)).toEqual(['512 B', '116.7 KiB', '1.01 MiB']);
  });
});

describe('markdownTable', () => {
  it('aligns the first column left and the others right by default', () => {
    expect(markdownTable(['a', 'b'], [['x', '1'], ['y', '2']])).toBe('| a | b |\n|:---|---:|\n| x | 1 |\n| y | 2 |');
  });

  it('escapes pipes and line breaks inside cells', () => {
    expect(cell('a|b\nc')).toBe('a\\|b c');
    expect(markdownTable(['h'], [['1|2']], ['l'])).toBe('| h |\n|:---|\n| 1\\|2 |');
  });

  it('refuses a row with the wrong number of cells', () => {
    expect(() => markdownTable(['a', 'b'], [['only one']])).toThrow('a table row has 1 cells, the header 2: only one');
  });
});
