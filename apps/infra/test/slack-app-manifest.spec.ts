import * as fs from 'node:fs';
import * as path from 'node:path';

interface Manifest {
  features: { bot_user?: { display_name?: string } };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[]; user_events?: string[] }; socket_mode_enabled: boolean };
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'slack-app-manifest.json'), 'utf8')) as Manifest;

describe('slack-app-manifest.json', () => {
  it('has a bot user', () => {
    expect(manifest.features.bot_user?.display_name).toEqual(expect.any(String));
  });

  it('subscribes the bot to exactly app_mention and message.im', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(['app_mention', 'message.im']);
    expect(manifest.settings.event_subscriptions.user_events).toBeUndefined();
  });

  it('asks for exactly the bot scopes the app uses, and no user scope', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'app_mentions:read',
      'channels:history',
      'chat:write',
      'groups:history',
      'im:history',
      'mpim:history',
      'reactions:write',
    ]);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('uses HTTP event delivery with a request URL placeholder named after the SlackEventsUrl output', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://REPLACE-WITH-SlackEventsUrl-STACK-OUTPUT/');
  });
});
