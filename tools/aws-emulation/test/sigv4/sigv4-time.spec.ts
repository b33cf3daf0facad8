import { parseAmzDate, toAmzDate } from '../../src/sigv4/sigv4-time';

describe('toAmzDate', () => {
  it('formats in ISO 8601 basic format without milliseconds', () => {
    expect(toAmzDate(new Date('2015-08-30T12:36:00.999Z'))).toBe('20150830T123600Z');
  });
});

describe('parseAmzDate', () => {
  it('parses a basic-format time stamp', () => {
    expect(parseAmzDate('20150830T123600Z')?.toISOString()).toBe('2015-08-30T12:36:00.000Z');
  });

  it.each(['2015-08-30T12:36:00Z', '20150830T123600', '20150830T1236Z', '20150231T123600Z', '20151330T123600Z', '20150830T246000Z', ''])(
    'rejects %j',
    (value) => {
      expect(parseAmzDate(value)).toBeUndefined();
    },
  );
});
