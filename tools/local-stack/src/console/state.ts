import type { LocalStack } from '../stack';
import { FAULT_TARGETS } from '../faults';
import { SLACK_IDS } from '../constants';
import type { SlackMessage } from '../slack/workspace';
import type { ConsoleMessage, ConsoleState } from './api-types';

/**
 * The console's view of the stack: the workspace's channels and messages, the deployed hand-off settings, the model
 * latency and the armed faults.
 *
 * @param stack - the running stack
 * @param eventIdOf - the `event_id` a user message was delivered with, by `channel` and `ts`
 */
export function consoleState(stack: LocalStack, eventIdOf: (channel: string, ts: string) => string | undefined): ConsoleState {
  const workspace = stack.slack.workspace;
  const streaming = new Set(
    stack.slack
      .botReplies()
      .filter((reply) => reply.stream === 'streaming')
      .map((reply) => `${reply.channel} ${reply.ts}`),
  );
  const channels = workspace.channelIds().map((id) => ({
    id,
    messages: workspace.history(id).map((message) => toConsoleMessage(message, eventIdOf(id, message.ts), streaming.has(`${id} ${message.ts}`))),
  }));
  const faults = Object.fromEntries(FAULT_TARGETS.flatMap((target) => (stack.faults.get(target) === undefined ? [] : [[target, stack.faults.get(target)]])));
  return {
    channels,
    localUser: SLACK_IDS.userId,
    deployment: stack.handoff,
    modelLatencyMs: stack.modelLatencyMs,
    tokensPerSecond: stack.modelStream.tokensPerSecond ?? 0,
    faults,
    faultTargets: FAULT_TARGETS,
  };
}

function toConsoleMessage(message: SlackMessage, eventId: string | undefined, streaming: boolean): ConsoleMessage {
  return {
    ts: message.ts,
    threadTs: message.thread_ts,
    user: message.user,
    bot: message.bot_id !== undefined,
    text: message.text,
    reactions: (message.reactions ?? []).map((r) => ({ name: r.name, count: r.count })),
    eventId,
    streaming,
  };
}
