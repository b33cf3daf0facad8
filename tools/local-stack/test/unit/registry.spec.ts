import type { AsyncInvoker } from '../../src/lambda/async-invoker';
import type { LambdaFunction } from '../../src/lambda/function';
import { FunctionRegistry } from '../../src/lambda/registry';

describe('FunctionRegistry.resolve', () => {
  const registry = new FunctionRegistry();
  const entry = { fn: { name: 'my-fn' } as LambdaFunction, async: {} as AsyncInvoker };
  registry.register(entry);

  it.each([
    'my-fn',
    'my-fn:$LATEST',
    'arn:aws:lambda:us-east-1:000000000000:function:my-fn',
    'arn:aws:lambda:us-east-1:000000000000:function:my-fn:$LATEST',
    '000000000000:function:my-fn',
  ])('finds %s', (identifier) => {
    expect(registry.resolve(identifier)).toEqual({ ok: true, entry });
  });

  it.each([
    ['other', undefined, 'arn:aws:lambda:us-east-1:000000000000:function:other'],
    ['my-fn:prod', undefined, 'arn:aws:lambda:us-east-1:000000000000:function:my-fn:prod'],
    ['my-fn', '3', 'arn:aws:lambda:us-east-1:000000000000:function:my-fn:3'],
    ['arn:aws:lambda:eu-west-1:000000000000:function:my-fn', undefined, 'arn:aws:lambda:eu-west-1:000000000000:function:my-fn'],
    ['arn:aws:lambda:us-east-1:111111111111:function:my-fn', undefined, 'arn:aws:lambda:us-east-1:111111111111:function:my-fn'],
  ])('does not find %s (qualifier %s) and names %s', (identifier, qualifier, arn) => {
    expect(registry.resolve(identifier, qualifier)).toEqual({ ok: false, arn });
  });
});
