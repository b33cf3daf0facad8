import { randomUUID } from 'node:crypto';
import { DEFAULT_PORTS, SLACK_IDS } from '../constants';
import type { LocalHttpServer } from '../http/server';
import type { LambdaFunction } from '../lambda/function';
import { fromFunctionUrlResult, toFunctionUrlEvent } from '../lambda/function-url';
import { SlackStandIn } from '../slack/stand-in';
import { createSlackApiHandler } from '../slack/web-api';
import { SlackWorkspace } from '../slack/workspace';
import type { StackContext } from './context';

/** The Slack side of a running stack. */
export interface SlackServers {
  /** The ingress: the verification function's local Function URL. */
  readonly ingress: LocalHttpServer;
  /** The Slack Web API stand-in. */
  readonly slackApi: LocalHttpServer;
  /** The workspace's recorded calls, and the event sender. */
  readonly slack: SlackStandIn;
}

/**
 * Starts the Slack ingress (the verification function behind a local Function URL) and the Slack Web API stand-in.
 *
 * @param verification - the verification function, reached at request time
 */
export async function startSlackServers(ctx: StackContext, verification: () => LambdaFunction): Promise<SlackServers> {
  const { options, now, lifecycle } = ctx;
  const { trace, faults } = ctx.stores;
  const { signingSecret, botToken } = ctx.slackSecrets;
  const ingress = await lifecycle.serve('slack', options.ports?.slack ?? DEFAULT_PORTS.slack, async (request) => {
    const requestId = randomUUID();
    const result = await verification().invoke(
      { payload: toFunctionUrlEvent(request, requestId, now()), requestId, source: 'function_url', invocationType: 'RequestResponse', attempt: 1 },
      false,
    );
    return fromFunctionUrlResult(result);
  });

  const workspace = new SlackWorkspace({ ...SLACK_IDS, botToken, channels: [SLACK_IDS.channelId, SLACK_IDS.dmChannelId], now });
  if (options.onBotReply !== undefined) workspace.onBotReply(options.onBotReply);
  const slack = new SlackStandIn({
    workspace,
    eventsUrl: `${ingress.origin}/slack/events`,
    signingSecret,
    defaultChannel: SLACK_IDS.channelId,
    defaultUser: SLACK_IDS.userId,
    trace,
    now,
  });
  const slackApi = await lifecycle.serve('slack-api', options.ports?.slackApi ?? DEFAULT_PORTS.slackApi, createSlackApiHandler({ slack, faults, now, signal: lifecycle.stopping.signal }));
  return { ingress, slackApi, slack };
}
