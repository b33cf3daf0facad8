import type { Context } from 'aws-lambda';

/** A Lambda context whose remaining time is fixed (no clock involved). */
export function fakeContext(remainingMs = 60_000, requestId = 'req-0001'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'slack-ai-app-execution',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:slack-ai-app-execution',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/slack-ai-app-execution',
    logStreamName: '2024/01/01/[$LATEST]0000',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
