import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RuntimeBootstrapError, compileRuntime, runtimeBootstrapSource, type RuntimeMessage } from '../../src/lambda/runtime-bootstrap';

const ECHO = join(__dirname, '..', 'fixtures', 'echo-lambda', 'main.js');

describe('the runtime bootstrap', () => {
  it('is the TypeScript runtime compiled to one script a container evaluates: INIT loads the bundle and reports', async () => {
    const source = runtimeBootstrapSource();
    expect(runtimeBootstrapSource()).toBe(source);
    const worker = new Worker(source, {
      eval: true,
      workerData: { bundlePath: ECHO, handlerName: 'handler', functionName: 'fn', functionVersion: '$LATEST', invokedFunctionArn: 'arn', memoryLimitInMB: '128', logGroupName: 'g', logStreamName: 's' },
      stdout: true,
      stderr: true,
    });
    try {
      const init = await new Promise<RuntimeMessage>((resolve) => {
        worker.on('message', (message: RuntimeMessage) => {
          if (message.type === 'init') resolve(message);
        });
      });
      expect(init).toEqual({ type: 'init', ok: true, durationMs: expect.any(Number) });
    } finally {
      await worker.terminate();
    }
  });

  it('names the entry when it cannot be compiled', () => {
    const missing = join(__dirname, 'no-such-runtime.ts');
    expect(() => compileRuntime(missing)).toThrow(RuntimeBootstrapError);
    expect(() => compileRuntime(missing)).toThrow(`could not compile the Lambda runtime ${missing}`);
  });
});
