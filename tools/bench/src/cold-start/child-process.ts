import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ChildReport } from './child-protocol';

/** The outcome of one child process. */
export type ChildRun =
  | { readonly ok: true; readonly report: ChildReport; readonly wallMs: number }
  | { readonly ok: false; readonly reason: string; readonly wallMs: number };

/** How to run one child. */
export interface ChildSpec {
  /** The harness (`cold-start-child.js`). */
  readonly childScript: string;
  /** The job file the harness reads. */
  readonly jobPath: string;
  /** The child's whole environment (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** Kill the child after this long. */
  readonly timeoutMs: number;
}

/** Bytes of the child's stderr kept for error messages. */
const STDERR_TAIL_BYTES = 2048;

/**
 * Runs the cold-start harness in a fresh `node` process (the same binary as the benchmark, no flags) with exactly the
 * given environment, and reads its report from file descriptor 3. The child's stdout (the bundle's logs) is read and
 * dropped, as Lambda's log pipe would take it; the tail of stderr is kept for error messages.
 *
 * @param spec - script, job, environment, timeout
 * @returns the child's report and the spawn-to-exit wall time, or why there is no report
 */
export function runChild(spec: ChildSpec): Promise<ChildRun> {
  return new Promise<ChildRun>((resolve) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    const child = spawn(process.execPath, [spec.childScript, spec.jobPath], { env: { ...spec.env }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let report = '';
    let stderr = '';
    child.stdout?.resume();
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });
    const channel = child.stdio[3] as Readable | null;
    channel?.setEncoding('utf8');
    channel?.on('data', (chunk: string) => {
      report += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs);
    let settled = false;
    const finish = (run: ChildRun) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(run);
    };
    child.on('error', (error) => finish({ ok: false, reason: `could not start node: ${error.message}`, wallMs: elapsed() }));
    child.on('close', (code, signal) => {
      const wallMs = elapsed();
      if (signal !== null) {
        finish({ ok: false, reason: `killed by ${signal}${signal === 'SIGKILL' ? ` (timeout ${spec.timeoutMs} ms)` : ''}`, wallMs });
        return;
      }
      const line = report.trim();
      if (code !== 0 || line === '') {
        finish({ ok: false, reason: `exit code ${code}${stderr.trim() === '' ? '' : `: ${stderr.trim().split('\n').slice(-3).join(' / ')}`}`, wallMs });
        return;
      }
      try {
        finish({ ok: true, report: JSON.parse(line) as ChildReport, wallMs });
      } catch {
        finish({ ok: false, reason: `unreadable report: ${line.slice(0, 200)}`, wallMs });
      }
    });
  });
}
