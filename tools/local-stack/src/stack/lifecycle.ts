import type { ActivityTracker } from '../activity';
import { startHttpServer, type LocalHttpServer } from '../http/server';
import type { HttpHandler, HttpRequestData } from '../http/types';
import { jsonReply } from '../http/types';

/**
 * A stack's start and stop: its servers answer 503 until it is ready, and stopping runs every cleanup step in reverse
 * order of registration (an error in one is reported, and the others still run).
 */
export class StackLifecycle {
  /** False until everything is wired; requests that arrive before get 503. */
  ready = false;
  /** Aborted on stop (streams and waits in flight end). */
  readonly stopping = new AbortController();
  private readonly cleanups: Array<() => Promise<void>> = [];
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly activity: ActivityTracker,
    readonly onInternalError: (error: unknown, where: string) => void,
  ) {}

  /** Registers a cleanup step, run on stop. */
  onStop(step: () => Promise<void>): void {
    this.cleanups.push(step);
  }

  /**
   * Starts an HTTP server on 127.0.0.1 that answers 503 until the stack is ready; it is closed on stop.
   *
   * @throws ServerStartError when the port is taken
   */
  async serve(name: string, port: number, handler: HttpHandler): Promise<LocalHttpServer> {
    const whenReady: HttpHandler = async (request: HttpRequestData) =>
      this.ready ? handler(request) : jsonReply(503, { message: `the local stack (${name}) is still starting` });
    const server = await startHttpServer({ name, port, handler: whenReady, activity: this.activity, onHandlerError: (error) => this.onInternalError(error, name) });
    this.onStop(() => server.close());
    return server;
  }

  /** Stops everything: not ready, aborted, every cleanup step run. Safe to call twice. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.ready = false;
      this.stopping.abort();
      for (const step of this.cleanups.splice(0).reverse()) await step().catch((error) => this.onInternalError(error, 'stop'));
    })();
    return this.stopped;
  }
}
