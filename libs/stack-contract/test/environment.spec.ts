import { BEDROCK_PROCESSOR_ARN_ALIAS_ENV, EXECUTION_FUNCTION_ARN_ENV, executionFunctionArnFrom, VERIFICATION_ENV } from '../src';

const NEW_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:new';
const OLD_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:old';

describe('executionFunctionArnFrom', () => {
  it('reads EXECUTION_FUNCTION_ARN before its alias BEDROCK_PROCESSOR_ARN', () => {
    expect(executionFunctionArnFrom({ EXECUTION_FUNCTION_ARN: NEW_ARN, BEDROCK_PROCESSOR_ARN: OLD_ARN })).toBe(NEW_ARN);
  });

  it('falls back to the alias alone (a function deployed before the rename)', () => {
    expect(executionFunctionArnFrom({ BEDROCK_PROCESSOR_ARN: ` ${OLD_ARN} ` })).toBe(OLD_ARN);
  });

  it('counts empty or blank values as unset', () => {
    expect(executionFunctionArnFrom({ EXECUTION_FUNCTION_ARN: '  ', BEDROCK_PROCESSOR_ARN: OLD_ARN })).toBe(OLD_ARN);
    expect(executionFunctionArnFrom({ EXECUTION_FUNCTION_ARN: '', BEDROCK_PROCESSOR_ARN: ' ' })).toBeUndefined();
    expect(executionFunctionArnFrom({})).toBeUndefined();
  });

  it('names the accurate variable and keeps the deployed alias', () => {
    expect(VERIFICATION_ENV.executionFunctionArn).toBe(EXECUTION_FUNCTION_ARN_ENV);
    expect(VERIFICATION_ENV.executionFunctionArnAlias).toBe(BEDROCK_PROCESSOR_ARN_ALIAS_ENV);
    expect([EXECUTION_FUNCTION_ARN_ENV, BEDROCK_PROCESSOR_ARN_ALIAS_ENV]).toEqual(['EXECUTION_FUNCTION_ARN', 'BEDROCK_PROCESSOR_ARN']);
  });
});
