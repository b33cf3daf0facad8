import { RedeployContextError, handoffOf, nextRedeployContext } from '../../src/redeploy';

describe('nextRedeployContext', () => {
  const deployed = { executionApiPercentage: 100, enableDirectInvokeFallback: true };

  it('changes the keys given and keeps the others as deployed', () => {
    expect(nextRedeployContext(deployed, { executionApiPercentage: 0 })).toEqual({ executionApiPercentage: 0, enableDirectInvokeFallback: true });
    expect(nextRedeployContext(deployed, { enableDirectInvokeFallback: false })).toEqual({ executionApiPercentage: 100, enableDirectInvokeFallback: false });
    expect(nextRedeployContext(deployed, {})).toEqual(deployed);
  });

  it.each([
    [{ executionApiPercentage: 101 }, 'executionApiPercentage must be a whole number from 0 to 100, got 101'],
    [{ executionApiPercentage: 12.5 }, 'executionApiPercentage must be a whole number from 0 to 100, got 12.5'],
    [{ executionApiPercentage: '50' as unknown as number }, 'executionApiPercentage must be a whole number from 0 to 100, got 50'],
    [{ enableDirectInvokeFallback: 'yes' as unknown as boolean }, 'enableDirectInvokeFallback must be true or false'],
  ])('refuses %j, naming the key', (change, message) => {
    expect(() => nextRedeployContext(deployed, change)).toThrow(new RedeployContextError(message));
  });
});

describe('handoffOf', () => {
  it('reads the deployed hand-off from the verification function’s environment', () => {
    expect(handoffOf({ USE_API_GATEWAY_PERCENTAGE: '10', BEDROCK_PROCESSOR_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:x' })).toEqual({
      executionApiPercentage: 10,
      enableDirectInvokeFallback: true,
    });
    expect(handoffOf({ USE_API_GATEWAY_PERCENTAGE: '50', EXECUTION_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:x' })).toEqual({
      executionApiPercentage: 50,
      enableDirectInvokeFallback: true,
    });
    expect(handoffOf({ USE_API_GATEWAY_PERCENTAGE: '100' })).toEqual({ executionApiPercentage: 100, enableDirectInvokeFallback: false });
    expect(handoffOf({})).toEqual({ executionApiPercentage: 0, enableDirectInvokeFallback: false });
  });
});
