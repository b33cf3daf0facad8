import { isSlackAck, postUserMessageLikeSlack, type LocalStack } from '@slack-ai-app/local-stack';
import { VERIFICATION_ENV } from '@slack-ai-app/stack-contract';

/** One Slack event the traffic loop sent. */
export interface SentEvent {
  readonly eventId: string;
  readonly threadTs: string;
  /** The Function URL's last answer, after Slack's retries (200 = acked). */
  readonly status: number;
  /** The deliveries that were not acked, each redelivered by Slack (`retryNum` undefined: the first delivery). */
  readonly refusedDeliveries: readonly { readonly retryNum: number | undefined; readonly status: number }[];
  /** When it was sent, epoch ms. */
  readonly at: number;
  /** The `USE_API_GATEWAY_PERCENTAGE` deployed when it was sent. */
  readonly deployedPercentage: number;
  /** Whether a deploy changed the percentage before it was acked: it may have been routed under either deployment. */
  readonly straddledDeploy: boolean;
}

/**
 * Keeps signed Slack events flowing at a steady rate (a bounded loop on loopback) until stopped: one user message every
 * `intervalMs`, each acked before the next is sent. Each is delivered as Slack delivers it: a delivery that is not
 * acked is redelivered (`X-Slack-Retry-Num`), so a transient refusal is recorded, not taken for a lost event.
 */
export class SteadyTraffic {
  readonly sent: SentEvent[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly stack: LocalStack,
    intervalMs: number,
    maxEvents = 5_000,
  ) {
    this.loop = (async () => {
      for (let i = 0; this.running && i < maxEvents; i += 1) {
        const deployed = () => Number(stack.functions.verification.configuration.environment[VERIFICATION_ENV.apiGatewayPercentage] ?? '0');
        const deployedPercentage = deployed();
        const at = Date.now();
        const { first, retries, finalStatus } = await postUserMessageLikeSlack(stack.slack, { text: `rehearsal question ${i}` });
        const straddledDeploy = deployed() !== deployedPercentage;
        const refusedDeliveries = [first, ...retries].flatMap((delivery, retry) => (isSlackAck(delivery.status) ? [] : [{ retryNum: retry === 0 ? undefined : retry, status: delivery.status }]));
        this.sent.push({ eventId: first.eventId ?? '', threadTs: first.threadTs ?? '', status: finalStatus, refusedDeliveries, at, deployedPercentage, straddledDeploy });
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    })();
  }

  /** Resolves when the loop has ended: stopped, or `maxEvents` sent. */
  get finished(): Promise<void> {
    return this.loop;
  }

  /** Stops sending and waits for the loop to end. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Whether an event was handed off through the execution API first (else by lambda:Invoke). */
  tookApi(eventId: string): boolean {
    return this.stack.trace.forEvent(eventId).some((entry) => entry.kind === 'execute_api');
  }
}

/** Observed API share per deployed percentage, with the binomial bound it is checked against. */
export interface ShareCheck {
  readonly deployedPercentage: number;
  readonly events: number;
  readonly apiEvents: number;
  readonly observed: number;
  /** Allowed |observed − p|: 4 standard deviations of a binomial proportion, sqrt(p(1−p)/n) (0 at 0 % and 100 %). */
  readonly bound: number;
  readonly ok: boolean;
}

/**
 * Checks the share of traffic each path took against the deployed percentage: for n events at p, the API count is
 * Binomial(n, p) (the verification function routes on a hash of the event id), so |k/n − p| ≤ 4·sqrt(p(1−p)/n) fails
 * by chance with probability below 1e-4; at 0 % and 100 % the share must be exact. Events that straddled a deploy
 * (the percentage changed between send and ack) are left out: either deployment may have routed them.
 *
 * @param events - the events sent
 * @param tookApi - whether an event went through the API
 */
export function checkShares(events: readonly SentEvent[], tookApi: (eventId: string) => boolean): ShareCheck[] {
  const byPercentage = new Map<number, SentEvent[]>();
  // An event in flight while a deploy swapped the configuration belongs to neither deployment's sample.
  for (const event of events.filter((sent) => !sent.straddledDeploy)) byPercentage.set(event.deployedPercentage, [...(byPercentage.get(event.deployedPercentage) ?? []), event]);
  return [...byPercentage.entries()]
    .sort(([a], [b]) => a - b)
    .map(([deployedPercentage, group]) => {
      const apiEvents = group.filter((event) => tookApi(event.eventId)).length;
      return { deployedPercentage, events: group.length, apiEvents, ...shareCheck(apiEvents, group.length, deployedPercentage) };
    });
}

/**
 * Whether `api` of `total` hand-offs matches `percentage` within 4 binomial standard deviations (exact at 0 % and 100 %).
 *
 * @param api - hand-offs through the API
 * @param total - all hand-offs
 * @param percentage - the deployed percentage
 */
export function shareCheck(api: number, total: number, percentage: number): { observed: number; bound: number; ok: boolean } {
  const p = percentage / 100;
  const observed = api / total;
  const bound = 4 * Math.sqrt((p * (1 - p)) / total);
  return { observed, bound, ok: total > 0 && Math.abs(observed - p) <= bound };
}
