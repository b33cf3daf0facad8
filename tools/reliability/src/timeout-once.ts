import type { LocalStack } from '@slack-ai-app/local-stack';

/**
 * Runs the execution function's next attempt with a short timeout, and gives it its normal timeout back the moment
 * that attempt times out (its `Task timed out` platform line), before Lambda's retry starts (the retry needs its time
 * budget for Bedrock).
 *
 * @param stack - the stack
 * @param timeoutSeconds - the first attempt's timeout
 * @param onTimedOut - also done at that moment (e.g. clearing the fault that held the attempt up)
 * @returns once the short timeout is set: `restored`, which resolves once the normal timeout is back (wrapped, so
 * that awaiting this function does not wait for it)
 */
export async function timeOutOnce(
  stack: LocalStack,
  timeoutSeconds: number,
  onTimedOut: () => void = () => undefined,
): Promise<{ readonly restored: Promise<void> }> {
  const execution = stack.functions.execution;
  const normal = execution.configuration.timeoutSeconds;
  const restored = new Promise<void>((resolve) => {
    const unsubscribe = stack.logs.subscribe((entry) => {
      if (entry.functionName !== stack.functions.execution.name || entry.stream !== 'platform' || !entry.line.includes('Task timed out')) return;
      unsubscribe();
      onTimedOut();
      void execution.updateConfiguration({ timeoutSeconds: normal }).then(resolve);
    });
  });
  await execution.updateConfiguration({ timeoutSeconds });
  return { restored };
}
