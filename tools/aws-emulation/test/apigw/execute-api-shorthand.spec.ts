import { expandExecuteApiShorthand, type PolicyDocument } from '../../src';

const PREFIX = 'arn:aws:execute-api:us-east-1:000000000000:localapi';

describe('expandExecuteApiShorthand', () => {
  it('expands execute-api:/ in Resource and NotResource, strings and lists, and leaves the rest as it is', () => {
    const policy: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'a', Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/prod/POST/execute' },
        { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', NotResource: ['execute-api:/*', 'arn:aws:execute-api:us-east-1:000000000000:other/*'] },
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke' },
      ],
    };
    expect(expandExecuteApiShorthand(policy, PREFIX)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'a', Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `${PREFIX}/prod/POST/execute` },
        { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', NotResource: [`${PREFIX}/*`, 'arn:aws:execute-api:us-east-1:000000000000:other/*'] },
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke' },
      ],
    });
    expect(policy.Statement).toHaveLength(3);
    expect((policy.Statement as PolicyDocument['Statement'][])[0]).toMatchObject({ Resource: 'execute-api:/prod/POST/execute' });
  });

  it('takes a single Statement object', () => {
    const policy: PolicyDocument = { Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: 'execute-api:/*' } };
    expect(expandExecuteApiShorthand(policy, PREFIX)).toEqual({ Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: `${PREFIX}/*` } });
  });
});
