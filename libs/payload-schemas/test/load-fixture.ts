import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Slack payload variants stored under test/events/slack/. */
export type SlackFixture =
  | 'app-mention'
  | 'app-mention-in-thread'
  | 'bot-message'
  | 'message-changed'
  | 'message-deleted'
  | 'message-im'
  | 'reaction-added'
  | 'url-verification';

/** Loads `test/events/<source>/<variant>.json` as parsed JSON (a fresh copy on every call). */
export function loadEvent(source: 'slack', variant: SlackFixture): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, 'events', source, `${variant}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}
