import { buildExecutionApiEvent, isExecutionApiEvent } from '../src';

const valid = {
  kind: 'execution_api_request',
  body: { channel: 'C1' },
  requestId: 'r-1',
  correlationId: 'c-1',
  identity: { userArn: 'arn:aws:sts::111122223333:assumed-role/r/s', caller: 'AROA:s', accountId: '111122223333', sourceIp: '203.0.113.7' },
};

describe('isExecutionApiEvent', () => {
  it('accepts an event built by buildExecutionApiEvent', () => {
    expect(isExecutionApiEvent(buildExecutionApiEvent(valid))).toBe(true);
    expect(isExecutionApiEvent(valid)).toBe(true);
  });

  it('accepts any JSON body, including null, and an empty correlation id', () => {
    expect(isExecutionApiEvent({ ...valid, body: null, correlationId: '' })).toBe(true);
  });

  it.each([
    ['a direct-invoke ExecutionRequest', { channel: 'C1', text: 'hi', user_id: 'U1', team_id: 'T1', event_id: 'E1', correlation_id: 'c' }],
    ['a legacy payload', { channel: 'C1', text: 'hi', bot_token: 'xoxb-1' }],
    ['another kind', { ...valid, kind: 'something_else' }],
    ['no body', (({ body: _body, ...rest }) => rest)(valid)],
    ['a numeric requestId', { ...valid, requestId: 1 }],
    ['a missing correlationId', (({ correlationId: _c, ...rest }) => rest)(valid)],
    ['identity without sourceIp', { ...valid, identity: { ...valid.identity, sourceIp: undefined } }],
    ['identity as a string', { ...valid, identity: 'arn' }],
    ['null', null],
    ['an array', [valid]],
    ['a string', JSON.stringify(valid)],
  ])('rejects %s', (_label, input) => {
    expect(isExecutionApiEvent(input)).toBe(false);
  });
});

describe('buildExecutionApiEvent', () => {
  it('copies the identity, so later changes to the input do not leak into the event', () => {
    const identity = { ...valid.identity };
    const event = buildExecutionApiEvent({ body: {}, requestId: 'r', correlationId: 'c', identity });
    identity.userArn = 'changed';
    expect(event.identity.userArn).toBe(valid.identity.userArn);
    expect(event).toEqual({ kind: 'execution_api_request', body: {}, requestId: 'r', correlationId: 'c', identity: valid.identity });
  });
});
