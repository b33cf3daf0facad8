import { randomUUID } from 'node:crypto';
import { RequestSigner } from '@slack-ai-app/signing';
import { CORRELATION_ID_HEADER } from '@slack-ai-app/execution-api-contract';
import type { Budget } from '../budget';
import type { IntegrityCheck, SigningResult } from '../report/types';
import { quantileRatio } from '../stats/bootstrap';
import { summarize } from '../stats/quantile';
import { amzDate, createSigV4Floor } from './sigv4-floor';

/** Options of {@link runSigning}. */
export interface SigningOptions {
  readonly batchSize: number;
  readonly batches: number;
  readonly warmupBatches: number;
  readonly budget: Budget;
  readonly seed: number;
}

/** The request the verification layer signs: `POST <stage>/execute` with an ExecutionRequest. */
export interface ExecutionRequestSample {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const REGION = 'us-east-1';
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIABENCHSIGNING0001',
  AWS_SECRET_ACCESS_KEY: 'bench/signing/secret/not/a/real/key0000000',
  AWS_SESSION_TOKEN: 'bench-signing-session-token-not-real',
};
const SIGNING_DATE = new Date('2025-11-28T19:20:00.000Z');

/**
 * A realistic execution request, as `postSignedJson` sends it (its signed headers: `X-Correlation-Id`,
 * `content-type`, `content-length`, `host`).
 */
export function executionRequestSample(): ExecutionRequestSample {
  const correlationId = randomUUID();
  const body = JSON.stringify({
    channel: 'C0LOCAL0001',
    text: 'Can you explain how SigV4 request signing works, and why API Gateway with IAM auth needs it? Please keep it short.',
    user_id: 'U0LOCALUSER',
    team_id: 'T0LOCAL0001',
    event_id: 'Ev0BENCH0SIGN01',
    correlation_id: correlationId,
    message_ts: '1764357598.123459',
  });
  return {
    url: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod/execute',
    headers: { [CORRELATION_ID_HEADER]: correlationId, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body, 'utf8')) },
    body,
  };
}

/**
 * Measures the cost of signing the execution request with `@slack-ai-app/signing` (`RequestSigner`, credentials read
 * from the environment as in the Lambda), against the raw `node:crypto` floor for the same canonical request. Batches
 * of the two alternate; each batch gives one sample, its time divided by the batch size. The floor's Authorization
 * header must equal the signer's, or the comparison is not of the same work.
 *
 * @param options - batch size and count, warm-up, budget, seed
 */
export async function runSigning(options: SigningOptions): Promise<{ result: SigningResult; checks: IntegrityCheck[] }> {
  const saved = Object.fromEntries(Object.keys(CREDENTIALS).map((name) => [name, process.env[name]]));
  Object.assign(process.env, CREDENTIALS);
  try {
    const sample = executionRequestSample();
    const url = new URL(sample.url);
    const signer = new RequestSigner({ service: 'execute-api', region: REGION });
    const signWithLibrary = () => signer.sign({ method: 'POST', url: sample.url, headers: sample.headers, body: sample.body }, { signingDate: SIGNING_DATE });
    const reference = await signWithLibrary();
    const signedNames = /SignedHeaders=([^,]+)/.exec(reference.headers['authorization'] ?? '')?.[1]?.split(';') ?? [];
    const floor = createSigV4Floor({
      accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      region: REGION,
      service: 'execute-api',
      signingDate: SIGNING_DATE,
      method: 'POST',
      canonicalPath: url.pathname,
      signedHeaderNames: signedNames,
    });
    const floorHeaders: Record<string, string> = {
      ...Object.fromEntries(Object.entries(sample.headers).map(([name, value]) => [name.toLowerCase(), value])),
      host: url.host,
      'x-amz-date': amzDate(SIGNING_DATE),
      'x-amz-security-token': CREDENTIALS.AWS_SESSION_TOKEN,
    };
    const signaturesMatch = floor(floorHeaders, sample.body) === reference.headers['authorization'];

    const timeLibrary = async () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < options.batchSize; i += 1) await signWithLibrary();
      return Number(process.hrtime.bigint() - start) / 1000 / options.batchSize;
    };
    let sink = 0;
    const timeFloor = () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < options.batchSize; i += 1) sink += floor(floorHeaders, sample.body).length;
      return Number(process.hrtime.bigint() - start) / 1000 / options.batchSize;
    };
    for (let i = 0; i < options.warmupBatches; i += 1) {
      await timeLibrary();
      timeFloor();
    }
    const signerUs: number[] = [];
    const floorUs: number[] = [];
    for (let i = 0; i < options.batches; i += 1) {
      if (i > 0 && options.budget.exceeded()) break;
      if (i % 2 === 0) {
        signerUs.push(await timeLibrary());
        floorUs.push(timeFloor());
      } else {
        floorUs.push(timeFloor());
        signerUs.push(await timeLibrary());
      }
    }
    if (sink === 0) throw new Error('the floor signer produced nothing');
    return {
      result: {
        batchSize: options.batchSize,
        batches: signerUs.length,
        signerUs: { summary: summarize(signerUs), samples: signerUs },
        floorUs: { summary: summarize(floorUs), samples: floorUs },
        ratio: quantileRatio(signerUs, floorUs, 0.5, { seed: options.seed }),
        signaturesMatch,
        bodyBytes: Buffer.byteLength(sample.body, 'utf8'),
      },
      checks: [
        {
          name: 'signing: the node:crypto floor computes the same Authorization header as RequestSigner',
          ok: signaturesMatch,
          detail: signaturesMatch ? `signed headers: ${signedNames.join(';')}.` : `RequestSigner signed ${signedNames.join(';')}; the floor's header differs.`,
        },
      ],
    };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
