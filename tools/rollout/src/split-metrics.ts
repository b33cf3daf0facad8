import type { MetricsReader, MetricsSnapshot, TimeWindow } from './metrics';

/**
 * Reads the hand-off metrics and the execution API's metrics from two CloudWatch accounts: in the two-account layout
 * the verification Lambda's `SlackAiApp` metrics are in the verification account, and API Gateway's `AWS/ApiGateway`
 * metrics of the execution API are in the execution account. Each reader covers the same window; the snapshot takes
 * `handoff` from the first and `api` from the second.
 */
export class SplitAccountMetricsReader implements MetricsReader {
  /**
   * @param handoff - reads the verification account (its `handoff` part is kept)
   * @param api - reads the execution account (its `api` part is kept)
   */
  constructor(
    private readonly handoff: MetricsReader,
    private readonly api: MetricsReader,
  ) {}

  /**
   * @param window - the window to read
   * @returns the merged snapshot, with the hand-off reader's aligned window
   * @throws MetricsReadError when either account cannot be read
   */
  async read(window: TimeWindow): Promise<MetricsSnapshot> {
    const [handoff, api] = await Promise.all([this.handoff.read(window), this.api.read(window)]);
    return { window: handoff.window, handoff: handoff.handoff, api: api.api };
  }
}
