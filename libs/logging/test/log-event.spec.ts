import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogEvent } from '../src';

/** The event names listed under "Event names" in docs/contracts.md. */
function contractEventNames(): string[] {
  const contracts = readFileSync(join(__dirname, '../../../docs/contracts.md'), 'utf8');
  const start = contracts.indexOf('Event names');
  const end = contracts.indexOf('\n## ', start);
  const section = contracts.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/`([a-z0-9_]+)`/g)].map((match) => match[1]);
}

describe('LogEvent', () => {
  it('has exactly the event names listed in docs/contracts.md', () => {
    const listed = new Set(contractEventNames());
    expect(listed.size).toBeGreaterThan(40);
    expect(new Set(Object.values(LogEvent))).toEqual(listed);
  });

  it('includes the hand-off events the verification Lambda logs', () => {
    expect(LogEvent).toMatchObject({
      ExecutionApiInvocationStarted: 'execution_api_invocation_started',
      ExecutionApiInvocationSuccess: 'execution_api_invocation_success',
      ExecutionApiInvocationError: 'execution_api_invocation_error',
      ExecutionApiInvocationFailed: 'execution_api_invocation_failed',
      ApiGatewayPercentageCheck: 'api_gateway_percentage_check',
      ExecutionApiUrlMissing: 'execution_api_url_missing',
      DirectInvokeStarted: 'direct_invoke_started',
      DirectInvokeSuccess: 'direct_invoke_success',
      DirectInvokeFailed: 'direct_invoke_failed',
      FallbackToDirectInvoke: 'fallback_to_direct_invoke',
      FallbackSkipped: 'fallback_skipped',
    });
  });

  it('names each constant after its value in PascalCase', () => {
    for (const [key, value] of Object.entries(LogEvent)) {
      const pascal = value.replace(/(^|_)([a-z0-9])/g, (_match: string, _sep: string, char: string) => char.toUpperCase());
      expect(key).toBe(pascal);
    }
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(LogEvent)).toBe(true);
    expect(() => {
      (LogEvent as Record<string, string>)['ProcessingStarted'] = 'renamed';
    }).toThrow(TypeError);
  });
});
