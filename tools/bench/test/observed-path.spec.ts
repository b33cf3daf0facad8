import { observedPath } from '../src/stack/observed-path';

describe('observedPath', () => {
  const delivery = { kind: 'slack_delivery', status: 200 };
  const invocation = { kind: 'invocation' };

  it('reads the API path from an accepted execute-api call', () => {
    expect(observedPath([{ kind: 'execute_api', status: 202 }, invocation, delivery])).toBe('api');
  });

  it('reads the direct path from an accepted Invoke API call', () => {
    expect(observedPath([{ kind: 'lambda_api', status: 202 }, invocation, delivery])).toBe('direct');
  });

  it('calls it a fallback when both were called', () => {
    expect(observedPath([{ kind: 'execute_api', status: 503 }, { kind: 'lambda_api', status: 202 }])).toBe('fallback');
  });

  it('says none when nothing accepted the event', () => {
    expect(observedPath([delivery])).toBe('none');
    expect(observedPath([{ kind: 'execute_api', status: 403 }])).toBe('none');
    expect(observedPath([{ kind: 'lambda_api', status: 'dropped' }])).toBe('none');
  });
});
