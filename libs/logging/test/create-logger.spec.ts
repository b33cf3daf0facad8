import { LogEvent, LoggerConfigError, createLogger, textSummary } from '../src';
import { capture, occurrences, parseLine } from './support/capture';
import { pinClockAndUnsetLogLevel } from './support/environment';

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const NOW_ISO = '2025-01-02T03:04:05.678Z';
const CONTEXT = { awsRequestId: 'c0ffee00-1111-2222-3333-444455556666', functionName: 'slack-verification' };

pinClockAndUnsetLogLevel(NOW);

describe('createLogger line format', () => {
  it('writes one JSON object per line with the level label, ISO time and event name', () => {
    const out = capture();
    out.logger.event(LogEvent.ExecutionApiInvocationStarted, { channel: 'C123' });

    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]).toBe(
      `{"level":"info","time":"${NOW_ISO}","channel":"C123","event":"execution_api_invocation_started"}\n`,
    );
  });

  it('writes no pid, hostname or msg', () => {
    const out = capture();
    out.logger.event(LogEvent.HandoffCompleted, { err: new Error('boom') });

    const line = out.only();
    expect(Object.keys(line)).toEqual(['level', 'time', 'err', 'event']);
  });

  it('adds the base fields to every line', () => {
    const out = capture({ base: { service: 'verification' } });
    out.logger.event(LogEvent.SlackRequestReceived);
    out.logger.event(LogEvent.UrlVerification);

    expect(out.lines()).toEqual([
      { level: 'info', time: NOW_ISO, service: 'verification', event: 'slack_request_received' },
      { level: 'info', time: NOW_ISO, service: 'verification', event: 'url_verification' },
    ]);
  });

  it('writes to process.stdout when no destination is given', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    createLogger({ level: 'info' }).event(LogEvent.ConfigInvalid, { variable: 'EXECUTION_API_URL' });

    expect(write).toHaveBeenCalledTimes(1);
    expect(parseLine(String(write.mock.calls[0][0]))).toEqual({
      level: 'info',
      time: NOW_ISO,
      variable: 'EXECUTION_API_URL',
      event: 'config_invalid',
    });
  });
});

describe('AppLogger.forInvocation', () => {
  it('binds aws_request_id, function_name and correlation_id to every line', () => {
    const out = capture({ base: { service: 'execution' } });
    const log = out.logger.forInvocation(CONTEXT, 'corr-42');
    log.event(LogEvent.ProcessingStarted);
    log.event(LogEvent.ProcessingCompleted, { duration_ms: 12 });

    expect(out.lines()).toEqual([
      {
        level: 'info',
        time: NOW_ISO,
        service: 'execution',
        aws_request_id: CONTEXT.awsRequestId,
        function_name: 'slack-verification',
        correlation_id: 'corr-42',
        event: 'processing_started',
      },
      {
        level: 'info',
        time: NOW_ISO,
        service: 'execution',
        aws_request_id: CONTEXT.awsRequestId,
        function_name: 'slack-verification',
        correlation_id: 'corr-42',
        duration_ms: 12,
        event: 'processing_completed',
      },
    ]);
  });

  it('binds only the correlation_id when there is no Lambda context', () => {
    const out = capture();
    out.logger.forInvocation(undefined, 'corr-1').event(LogEvent.ProcessingStarted);

    expect(out.only()).toEqual({ level: 'info', time: NOW_ISO, correlation_id: 'corr-1', event: 'processing_started' });
  });

  it('binds no correlation_id when it is missing or empty', () => {
    const out = capture();
    out.logger.forInvocation(CONTEXT).event(LogEvent.ProcessingStarted);
    out.logger.forInvocation(CONTEXT, '').event(LogEvent.ProcessingStarted);

    for (const line of out.lines()) expect(line).not.toHaveProperty('correlation_id');
  });

  it('replaces the bindings of an earlier invocation instead of repeating them', () => {
    const out = capture();
    const first = out.logger.forInvocation(CONTEXT, 'corr-1');
    first.forInvocation({ ...CONTEXT, awsRequestId: 'second' }, 'corr-2').event(LogEvent.ProcessingStarted);

    expect(occurrences(out.writes[0], '"aws_request_id"')).toBe(1);
    expect(occurrences(out.writes[0], '"correlation_id"')).toBe(1);
    expect(out.only()).toMatchObject({ aws_request_id: 'second', correlation_id: 'corr-2' });
  });

  it('leaves the parent logger unchanged', () => {
    const out = capture();
    out.logger.forInvocation(CONTEXT, 'corr-1');
    out.logger.event(LogEvent.ProcessingStarted);

    expect(out.only()).toEqual({ level: 'info', time: NOW_ISO, event: 'processing_started' });
  });
});

describe('AppLogger.child', () => {
  it('adds bindings to every line, keeping the parent bindings', () => {
    const out = capture({ base: { service: 'execution' } });
    out.logger.child({ team_id: 'T1' }).child({ channel: 'C1' }).event(LogEvent.NoticePosted);

    expect(out.only()).toEqual({
      level: 'info',
      time: NOW_ISO,
      service: 'execution',
      team_id: 'T1',
      channel: 'C1',
      event: 'notice_posted',
    });
  });

  it('replaces a key bound again, keeping one copy in its first position', () => {
    const out = capture({ base: { service: 'a' } });
    out.logger.child({ service: 'b', stage: 'x' }).child({ stage: 'y' }).event(LogEvent.NoticePosted);

    expect(out.writes[0]).toBe(`{"level":"info","time":"${NOW_ISO}","service":"b","stage":"y","event":"notice_posted"}\n`);
  });

  it('renames bindings that use the line’s own keys or keys pino drops', () => {
    const out = capture();
    out.logger
      .child({ level: 'x', time: 't', event: 'e', msg: 'm', _aws: 1, formatters: 'f', serializers: 's', customLevels: 'c' })
      .event(LogEvent.NoticePosted);

    expect(out.only()).toEqual({
      level: 'info',
      time: NOW_ISO,
      data_level: 'x',
      data_time: 't',
      data_event: 'e',
      data_msg: 'm',
      data__aws: 1,
      data_formatters: 'f',
      data_serializers: 's',
      data_customLevels: 'c',
      event: 'notice_posted',
    });
  });
});

describe('AppLogger.event data', () => {
  it('renames data keys that would overwrite the level, time, event or EMF fields', () => {
    const out = capture();
    out.logger.event(LogEvent.EventIgnored, { level: 'debug', time: 1, event: 'x', _aws: {}, msg: 'm' });

    expect(out.only()).toEqual({
      level: 'info',
      time: NOW_ISO,
      data_level: 'debug',
      data_time: 1,
      data_event: 'x',
      data__aws: {},
      data_msg: 'm',
      event: 'event_ignored',
    });
  });

  it('does not repeat a data field equal to a bound one, and renames one that differs', () => {
    const out = capture();
    const log = out.logger.forInvocation(CONTEXT, 'corr-1');
    log.event(LogEvent.ProcessingStarted, { correlation_id: 'corr-1', channel: 'C1' });
    log.event(LogEvent.ProcessingStarted, { correlation_id: 'other' });

    const [same, different] = out.lines();
    expect(occurrences(out.writes[0], '"correlation_id"')).toBe(1);
    expect(same).toMatchObject({ correlation_id: 'corr-1', channel: 'C1' });
    expect(different).toMatchObject({ correlation_id: 'corr-1', data_correlation_id: 'other' });
  });

  it('keeps a __proto__ key as data', () => {
    const out = capture();
    out.logger.event(LogEvent.EventIgnored, JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>);

    const line = out.only();
    expect(Object.getOwnPropertyDescriptor(line, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps data whose shape looks like an HTTP request as data', () => {
    const out = capture();
    out.logger.event(LogEvent.SlackRequestReceived, { method: 'POST', headers: { host: 'x' }, socket: { remote: '1.2.3.4' } });

    expect(out.only()).toEqual({
      level: 'info',
      time: NOW_ISO,
      method: 'POST',
      headers: { host: 'x' },
      data_socket: { remote: '1.2.3.4' },
      event: 'slack_request_received',
    });
  });

  it('logs data that is not a record under "data"', () => {
    const out = capture();
    out.logger.event(LogEvent.EventIgnored, ['a', 'b'] as unknown as Record<string, unknown>);

    expect(out.only()).toMatchObject({ data: ['a', 'b'] });
  });

  it('does not modify the caller’s data', () => {
    const out = capture();
    const data = { text: 'hi', bot_token: 'xoxb-1-a', nested: { Authorization: 'Bearer x' } };
    const before = JSON.stringify(data);
    out.logger.event(LogEvent.ProcessingStarted, data);

    expect(JSON.stringify(data)).toBe(before);
  });
});

describe('log level', () => {
  function writeAllLevels(level?: string): string[] {
    const out = capture(level === undefined ? {} : { level });
    out.logger.event(LogEvent.ThreadHistoryFetched, {}, 'debug');
    out.logger.event(LogEvent.ProcessingStarted);
    out.logger.event(LogEvent.SlackRateLimited, {}, 'warn');
    out.logger.event(LogEvent.ProcessingFailed, {}, 'error');
    return out.lines().map((line) => String(line['level']));
  }

  it('defaults to info', () => {
    expect(writeAllLevels()).toEqual(['info', 'warn', 'error']);
  });

  it('follows LOG_LEVEL', () => {
    process.env['LOG_LEVEL'] = 'warn';
    expect(writeAllLevels()).toEqual(['warn', 'error']);
    process.env['LOG_LEVEL'] = 'debug';
    expect(writeAllLevels()).toEqual(['debug', 'info', 'warn', 'error']);
  });

  it('reads LOG_LEVEL in any case and with surrounding spaces', () => {
    process.env['LOG_LEVEL'] = ' ERROR ';
    expect(writeAllLevels()).toEqual(['error']);
  });

  it('treats a blank LOG_LEVEL as unset', () => {
    process.env['LOG_LEVEL'] = '  ';
    expect(writeAllLevels()).toEqual(['info', 'warn', 'error']);
  });

  it('prefers the level option over LOG_LEVEL', () => {
    process.env['LOG_LEVEL'] = 'error';
    expect(writeAllLevels('debug')).toEqual(['debug', 'info', 'warn', 'error']);
  });

  it('writes nothing when silent', () => {
    expect(writeAllLevels('silent')).toEqual([]);
  });

  it('rejects an unknown LOG_LEVEL with a LoggerConfigError naming the variable', () => {
    process.env['LOG_LEVEL'] = 'verbose';
    expect(() => createLogger()).toThrow(LoggerConfigError);
    expect(() => createLogger()).toThrow(
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent (any case); got "verbose"',
    );
  });

  it('rejects an unknown level option with a LoggerConfigError naming the option', () => {
    expect(() => createLogger({ level: 'loud' })).toThrow(
      'The level option must be one of trace, debug, info, warn, error, fatal, silent (any case); got "loud"',
    );
  });

  it('does not echo a secret put in LOG_LEVEL by mistake', () => {
    process.env['LOG_LEVEL'] = 'xoxb-123-abc';
    expect(() => createLogger()).toThrow('got "[REDACTED]"');
  });

  it('does no work for a line below the level', () => {
    const out = capture({ level: 'info' });
    const getter = jest.fn(() => 'value');
    const data = Object.defineProperty({}, 'lazy', { get: getter, enumerable: true }) as Record<string, unknown>;
    out.logger.event(LogEvent.ThreadHistoryFetched, data, 'debug');

    expect(getter).not.toHaveBeenCalled();
    expect(out.writes).toEqual([]);
  });

  it('logs an unknown level from untyped callers at info', () => {
    const out = capture();
    out.logger.event(LogEvent.ProcessingStarted, {}, 'loud' as 'info');

    expect(out.only()).toMatchObject({ level: 'info' });
  });
});

describe('message text', () => {
  it('logs a top-level text as its length at info, warn and error', () => {
    const out = capture();
    for (const level of ['info', 'warn', 'error'] as const) {
      out.logger.event(LogEvent.ProcessingStarted, { text: 'secret plans', channel: 'C1' }, level);
    }

    for (const line of out.lines()) {
      expect(line).toMatchObject({ text_length: 12, channel: 'C1' });
      expect(line).not.toHaveProperty('text');
    }
    expect(out.text()).not.toContain('secret plans');
  });

  it('logs nested text fields as their length too', () => {
    const out = capture();
    out.logger.event(LogEvent.BedrockInvocationSuccess, {
      output: { message: { content: [{ text: 'model reply' }] } },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi *there*' } }],
    });

    expect(out.only()).toMatchObject({
      output: { message: { content: [{ text_length: 11 }] } },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text_length: 10 } }],
    });
  });

  it('keeps the text at debug', () => {
    const out = capture({ level: 'debug' });
    out.logger.event(LogEvent.ThreadHistoryFetched, { text: 'full text' }, 'debug');

    expect(out.only()).toMatchObject({ text: 'full text' });
    expect(out.only()).not.toHaveProperty('text_length');
  });

  it('still masks tokens in text kept at debug', () => {
    const out = capture({ level: 'debug' });
    out.logger.event(LogEvent.ThreadHistoryFetched, { text: 'use xoxb-1-abc' }, 'debug');

    expect(out.only()).toMatchObject({ text: 'use [REDACTED]' });
  });

  it('prefers the computed length over a text_length given with the text', () => {
    const out = capture();
    out.logger.event(LogEvent.ProcessingStarted, { text_length: 999, text: 'abc' });

    expect(out.only()).toMatchObject({ text_length: 3 });
  });

  it('keeps a text_length given without text, as from textSummary', () => {
    const out = capture();
    out.logger.event(LogEvent.ProcessingStarted, { ...textSummary('four'), channel: 'C1' });

    expect(out.only()).toMatchObject({ text_length: 4, channel: 'C1' });
  });

  it('summarises a text binding at every level', () => {
    const out = capture({ level: 'debug' });
    out.logger.child({ text: 'bound text' }).event(LogEvent.ThreadHistoryFetched, {}, 'debug');

    expect(out.only()).toMatchObject({ text_length: 10 });
  });
});
