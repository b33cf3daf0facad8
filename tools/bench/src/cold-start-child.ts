/**
 * The cold-start child: `node cold-start-child.js <job.json>`, one fresh process per measurement. Built as its own small bundle
 * (Node built-ins only) so that the harness adds nothing but a file read before the timed part.
 *
 * It reads the job, then times, with `process.hrtime.bigint()`:
 * 1. `require()` of the bundle (module load: parse, compile and evaluate its top level);
 * 2. the first `handler(event, context)` call, until its promise settles.
 *
 * It writes one JSON line ({@link ChildReport}) to file descriptor 3 (stdout belongs to the bundle's own logs) and
 * exits at once, without waiting for kept-alive sockets to close.
 */
import { readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type ChildJob, type ChildReport, REPORT_FD } from './cold-start/child-protocol';

const NS_PER_MS = 1_000_000;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function main(): Promise<void> {
  const bootMs = performance.now();
  const jobPath = process.argv[2];
  if (jobPath === undefined) throw new Error('usage: node cold-start-child.js <job.json>');
  const job = JSON.parse(readFileSync(jobPath, 'utf8')) as ChildJob;
  const load = createRequire(job.modulePath);
  const deadline = Date.now() + job.timeoutMs;
  const context = { ...job.context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };

  const loadStart = process.hrtime.bigint();
  let handler: ((event: unknown, context: unknown) => unknown) | undefined;
  let error: string | undefined;
  try {
    const loaded = load(job.modulePath) as Record<string, unknown>;
    const candidate = loaded[job.handlerName];
    if (typeof candidate === 'function') handler = candidate as typeof handler;
    else error = `the bundle exports no function named ${job.handlerName}`;
  } catch (caught) {
    error = describe(caught);
  }
  const loadEnd = process.hrtime.bigint();

  let statusCode: number | undefined;
  let invokeEnd: bigint | undefined;
  if (handler !== undefined) {
    try {
      const result = await handler(job.event, context);
      const code = typeof result === 'object' && result !== null ? (result as Record<string, unknown>)['statusCode'] : undefined;
      statusCode = typeof code === 'number' ? code : undefined;
    } catch (caught) {
      error = describe(caught);
    }
    invokeEnd = process.hrtime.bigint();
  }

  const report: ChildReport = {
    ok: error === undefined,
    bootMs,
    loadMs: Number(loadEnd - loadStart) / NS_PER_MS,
    invokeMs: invokeEnd === undefined ? undefined : Number(invokeEnd - loadEnd) / NS_PER_MS,
    statusCode,
    error,
  };
  writeSync(REPORT_FD, `${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`cold-start child failed: ${describe(error)}\n`);
    process.exit(2);
  },
);
