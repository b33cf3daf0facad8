import type { Agent } from 'node:http';
import { CORRELATION_ID_HEADER } from '@slack-ai-app/execution-api-contract';
import type { ExecutionRequest } from '@slack-ai-app/payload-schemas';
import type { RequestSignerOptions, SignableRequest, SignedRequest } from '@slack-ai-app/signing';
import type { ApiAttempt } from './handoff-outcome';
import type { ExecutionApiClient } from './handoff';
import { loadSigningModule, type SigningModule } from './lazy-modules';

type RequestSigner = InstanceType<SigningModule['RequestSigner']>;

/** Options of {@link createExecutionApiClient}. */
export interface ExecutionApiClientOptions {
  /** `<stage URL>/execute`, from `EXECUTION_API_URL`. */
  readonly executeUrl: string;
  /** The signing region: the function's own region. */
  readonly region: string;
  /** `EXECUTION_API_TIMEOUT_MS`: the whole exchange, connect to last body byte. */
  readonly timeoutMs: number;
  /** Credentials; the default re-reads the role's credentials from the environment (see `defaultCredentials`). */
  readonly credentials?: RequestSignerOptions['credentials'];
  /** Clock, epoch milliseconds: the SigV4 signing date and the latency. */
  readonly now: () => number;
  /**
   * Loads the SigV4 client. The default, {@link loadSigningModule}, requires a separate build chunk, so the signer's
   * load cost is paid by the first API-path hand-off, not by every cold start.
   */
  readonly loadSigning?: () => Promise<SigningModule>;
  /** The connection pool; default: the signing lib's module-level keep-alive agent, reused across warm invocations. */
  readonly agent?: Agent;
}

/**
 * Creates the API path: a SigV4-signed (`execute-api`) `POST /execute` with the ExecutionRequest as JSON and an
 * `X-Correlation-Id` header, over a kept-alive connection. The signer is created on first use.
 *
 * @param options - URL, region, timeout, clock and (for tests) credentials and loader
 * @returns an {@link ExecutionApiClient} whose `post` never throws: it reports a status or a classified exception
 */
export function createExecutionApiClient(options: ExecutionApiClientOptions): ExecutionApiClient {
  const load = options.loadSigning ?? loadSigningModule;
  let ready: Promise<{ module: SigningModule; signer: RequestSigner }> | undefined;

  const prepare = () => {
    if (ready === undefined) {
      const loading = load().then((module) => ({ module, signer: clockedSigner(module, options) }));
      ready = loading;
      // A failed load is not cached, so the next hand-off tries again.
      loading.catch(() => {
        if (ready === loading) ready = undefined;
      });
    }
    return ready;
  };

  return {
    async post(request: ExecutionRequest, correlationId: string): Promise<ApiAttempt> {
      const started = options.now();
      let module: SigningModule | undefined;
      try {
        const prepared = await prepare();
        module = prepared.module;
        const response = await module.postSignedJson({
          url: options.executeUrl,
          body: request,
          signer: prepared.signer,
          timeoutMs: options.timeoutMs,
          headers: { [CORRELATION_ID_HEADER]: correlationId },
          // Without an agent, postSignedJson uses its module-level keep-alive agent, shared across warm invocations.
          ...(options.agent === undefined ? {} : { agent: options.agent }),
        });
        return { kind: 'response', status: response.status, body: response.body, latencyMs: options.now() - started };
      } catch (error) {
        return { kind: 'exception', failure: classify(error, module), error, latencyMs: options.now() - started };
      }
    },
  };
}

function classify(error: unknown, module: SigningModule | undefined): 'timeout' | 'network' | 'signing' | 'unknown' {
  if (module === undefined) return 'unknown';
  if (error instanceof module.RequestTimeoutError) return 'timeout';
  if (error instanceof module.NetworkError) return 'network';
  if (error instanceof module.SigningError) return 'signing';
  return 'unknown';
}

/**
 * A RequestSigner that signs at the injected clock's time, so that the signing date and the latency share one clock
 * (and tests can pin both).
 */
function clockedSigner(module: SigningModule, options: ExecutionApiClientOptions): RequestSigner {
  const signerOptions: RequestSignerOptions = { service: 'execute-api', region: options.region };
  if (options.credentials !== undefined) signerOptions.credentials = options.credentials;
  class ClockedRequestSigner extends module.RequestSigner {
    override sign(request: SignableRequest, signOptions: { signingDate?: Date } = {}): Promise<SignedRequest> {
      return super.sign(request, { signingDate: signOptions.signingDate ?? new Date(options.now()) });
    }
  }
  return new ClockedRequestSigner(signerOptions);
}
