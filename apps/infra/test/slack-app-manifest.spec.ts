import * as fs from 'node:fs';
import * as path from 'node:path';

interface Manifest {
  features: { bot_user?: { display_name?: string } };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[]; user_events?: string[] }; socket_mode_enabled: boolean };
}

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'slack-app-manifest.json'), 'utf8')) as Manifest;
const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/**
 * The bot scopes listed in the README's table (the rows after a `| bot scope | why |` header, up to the first line that
 * is not a table row), in their order. Throws when the table is missing, so a renamed header cannot pass as "no scope".
 */
function readmeBotScopes(markdown: string): string[] {
  const lines = markdown.split('\n').map((line) => line.trim());
  const header = lines.findIndex((line) => /^\| bot scope \| why \|$/.test(line));
  if (header === -1) throw new Error('README.md has no "| bot scope | why |" table');
  const rows = lines.slice(header + 2);
  const end = rows.findIndex((line) => !line.startsWith('|'));
  return rows.slice(0, end === -1 ? rows.length : end).map((row) => {
    const scope = /^\| `([a-z_]+:[a-z_.]+)` \|/.exec(row);
    if (scope === null) throw new Error(`README.md scope row not understood: ${row}`);
    return scope[1] as string;
  });
}

/** How the README's scope list and the manifest's differ (each list sorted). */
function scopeDrift(listed: readonly string[], declared: readonly string[]): { notInReadme: string[]; notInManifest: string[]; duplicated: string[] } {
  return {
    notInReadme: declared.filter((scope) => !listed.includes(scope)).sort(),
    notInManifest: listed.filter((scope) => !declared.includes(scope)).sort(),
    duplicated: [...new Set(listed.filter((scope, i) => listed.indexOf(scope) !== i))].sort(),
  };
}

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

  it('is the one list of scopes: the README table names exactly the manifest\'s bot scopes, each once', () => {
    expect(scopeDrift(readmeBotScopes(readme), manifest.oauth_config.scopes.bot)).toEqual({ notInReadme: [], notInManifest: [], duplicated: [] });
  });

  it('catches a scope missing from either side, or listed twice, and a missing table', () => {
    const table = ['   | bot scope | why |', '   | --- | --- |', '   | `chat:write` | reply |', '   | `users:read` | names |', '   | `chat:write` | again |', '', '| `im:history` | not in the table |'].join('\n');
    expect(readmeBotScopes(table)).toEqual(['chat:write', 'users:read', 'chat:write']);
    expect(scopeDrift(readmeBotScopes(table), ['chat:write', 'mpim:history'])).toEqual({ notInReadme: ['mpim:history'], notInManifest: ['users:read'], duplicated: ['chat:write'] });
    expect(() => readmeBotScopes('the scopes `chat:write` and `mpim:history`')).toThrow('README.md has no "| bot scope | why |" table');
  });

  it('uses HTTP event delivery with a request URL placeholder named after the SlackEventsUrl output', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://REPLACE-WITH-SlackEventsUrl-STACK-OUTPUT/');
  });
});
