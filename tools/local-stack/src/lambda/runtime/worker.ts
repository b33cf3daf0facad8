/**
 * What each Lambda container (a `worker_threads` Worker) runs before and around the function's bundle: it plays the
 * part of Lambda's Node.js runtime. `../runtime-bootstrap.ts` compiles this entry and the container evaluates it.
 *
 * - It captures everything the function writes to fd 1 and fd 2 (`./output-capture.ts`).
 * - INIT: it `require`s the bundle once (module scope runs once per container, as in Lambda) and reports the duration.
 * - INVOKE: one invocation at a time, with a Lambda-like context object; async and callback handlers are supported.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { injectedError, lambdaContext, loadHandler, resultPayload, runHandler, serialiseError } from './handler';
import { captureOutput } from './output-capture';
import type { InvokeMessage, RuntimeMessage, RuntimeWorkerData } from './protocol';

const port = parentPort;
if (port === null) throw new Error('the Lambda runtime runs in a worker thread');
const data = workerData as RuntimeWorkerData;
const post = (message: RuntimeMessage) => port.postMessage(message);

captureOutput((stream, text) => post({ type: 'log', stream, text }), { stdout: process.stdout, stderr: process.stderr }, fs);

const initStarted = performance.now();
const loaded = loadHandler(require, data.bundlePath, data.handlerName);
post(loaded.ok ? { type: 'init', ok: true, durationMs: performance.now() - initStarted } : { type: 'init', ok: false, durationMs: performance.now() - initStarted, error: loaded.error });

port.on('message', async (message: InvokeMessage | undefined) => {
  if (!message || message.type !== 'invoke') return;
  try {
    let value: unknown;
    if (message.fault?.mode === 'crash') {
      process.exit(1);
    } else if (message.fault?.mode === 'timeout') {
      return;
    } else if (message.fault?.mode === 'error') {
      throw injectedError(message.fault);
    } else if (!loaded.ok) {
      // Not reached: the container terminates a runtime whose INIT failed.
      throw new Error('the handler did not load');
    } else {
      value = await runHandler(loaded.handler, message.event, lambdaContext(data, message));
    }
    post({ type: 'result', id: message.id, ok: true, payload: resultPayload(value) });
  } catch (error) {
    post({ type: 'result', id: message.id, ok: false, error: serialiseError(error, 'Error') });
  }
});
