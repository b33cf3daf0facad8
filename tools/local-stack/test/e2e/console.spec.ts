/// <reference lib="dom" />
// The page-side checks below run in the browser (page.evaluate), so this file also sees the DOM types.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CONSOLE_ASSETS_DIR } from '../../src/console/assets';
import { startConsole, type LocalConsole } from '../../src/console/server';
import { findWorkspaceRoot } from '../../src';
import { launchChromium } from '../support/chromium';
import { rawRequest, startTestStack } from '../support/stack';

/**
 * The console in a real browser (Debian's Chromium driven by playwright-core), against one real stack: the page posts
 * through the real ingress, and every assertion reads what the page shows.
 */

/** Stand-ins for a real workspace's secrets: the page must never show them. */
const SECRETS = { signingSecret: 'console-test-signing-secret-never-shown', botToken: 'xoxb-console-test-token-never-shown' };
const root = findWorkspaceRoot();
/** Git-ignored; `nx run local-stack:console-screenshot` copies the picture into the README's image. */
const RESULTS = join(root, 'tools', 'local-stack', 'results');

let stack: Awaited<ReturnType<typeof startTestStack>>;
let console_: LocalConsole;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;

beforeAll(async () => {
  stack = await startTestStack({ slack: SECRETS, modelLatencyMs: 40 });
  console_ = await startConsole({ stack, port: 0, assetsDir: join(root, ...CONSOLE_ASSETS_DIR) });
  chromium = await launchChromium();
  page = await chromium.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(console_.url);
  await page.getByRole('status').filter({ hasText: 'live' }).waitFor();
});

afterAll(async () => {
  await chromium?.close();
  await console_?.close();
  await stack?.stop();
});

/** Sends a mention from the composer; resolves with its event id once the page shows it as sent. */
async function send(text: string): Promise<string> {
  await page.locator('#composer-text').fill(text);
  await page.getByRole('button', { name: 'Send' }).press('Enter');
  const result = page.locator('#control-result');
  await result.filter({ hasText: /^Sent Ev/ }).waitFor();
  const match = /^Sent (Ev\w+): Slack ack (\d+)$/.exec((await result.textContent()) ?? '');
  expect(match?.[2]).toBe('200');
  return match?.[1] as string;
}

/** The thread (root and replies) of the message delivered with `eventId`. */
function threadOf(eventId: string) {
  return page.locator('.thread').filter({ has: page.locator(`[data-event-id="${eventId}"]`) });
}

/**
 * Waits until the stack is idle, the page shows the bot's answer to `question` in the message's thread, and the open
 * trace shows that answer's stream stopped (its `chat.stopStream`).
 */
async function settled(eventId: string, question: string): Promise<void> {
  await stack.waitForIdle();
  await threadOf(eventId).locator('.message.bot .text').filter({ hasText: `You asked: "${question}"` }).waitFor();
  await page.locator('#trace-summary').filter({ hasText: `Event ${eventId}` }).waitFor();
  await page.locator('[data-lane="slack-api"] .step-text').filter({ hasText: 'chat.stopStream' }).waitFor();
}

/** A redeploy runs `cdk synth` (tens of seconds on a busy machine): a bound on a hung synth, not a timed assertion. */
const REDEPLOY_BOUND_MS = 180_000;

const answer = (question: string) => `(local model) You asked: "${question}"\nThis is the start of the conversation.`;

it('a mention is answered in its thread, and its trace shows the API path with a 202', async () => {
  const eventId = await send('What is SigV4?');
  await settled(eventId, 'What is SigV4?');
  await expect(threadOf(eventId).locator('.message.bot .text').allTextContents()).resolves.toEqual([answer('What is SigV4?')]);
  await expect(page.locator('#trace-summary').textContent()).resolves.toBe(`Event ${eventId} — path: API Gateway`);
  const api = await page.locator('[data-lane="execute-api"] .step-text').allTextContents();
  expect(api).toHaveLength(1);
  expect(api[0]).toMatch(new RegExp(`^Execution API: 202 in \\d+ ms, caller ${stack.credentials.principals.verification.callerArn}; SigV4 valid, IAM allow$`));
  expect(await page.locator('[data-lane="slack"] .step-text').allTextContents()).toEqual([expect.stringMatching(/^Slack ack: HTTP 200 in \d+ ms$/)]);
  expect(await page.locator('[data-lane="route"] .step-text').allTextContents()).toEqual([expect.stringMatching(/^Route decision: bucket \d+, percentage 100 → API Gateway$/)]);
  expect(await page.locator('[data-lane="model"] .step-text').allTextContents()).toEqual([expect.stringMatching(/^Model: first token after \d+ ms, total \d+ ms, \d+ tokens out, streamed$/)]);
  expect(await page.locator('[data-lane="slack-api"] .step-text').allTextContents()).toEqual([
    'reactions.add: HTTP 200, ok :eyes:',
    'chat.startStream: HTTP 200, ok',
    'chat.stopStream: HTTP 200, ok',
    'reactions.remove: HTTP 200, ok :eyes:',
  ]);
  expect(await page.locator('[data-lane="direct"]').count()).toBe(0);

  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, 'console.png'), fullPage: true });
});

it('after a redeploy at 0 %, the next message takes the direct path', async () => {
  await page.getByLabel('executionApiPercentage').fill('0');
  await page.getByRole('button', { name: 'Redeploy' }).click();
  await page.locator('#control-result').filter({ hasText: 'Redeployed: executionApiPercentage=0, enableDirectInvokeFallback=true' }).waitFor({ timeout: REDEPLOY_BOUND_MS });
  expect(stack.handoff).toEqual({ executionApiPercentage: 0, enableDirectInvokeFallback: true });

  const eventId = await send('Which path now?');
  await settled(eventId, 'Which path now?');
  await expect(page.locator('#trace-summary').textContent()).resolves.toBe(`Event ${eventId} — path: direct invoke`);
  expect(await page.locator('[data-lane="execute-api"]').count()).toBe(0);
  expect(await page.locator('[data-lane="direct"] .step-text').allTextContents()).toEqual([expect.stringMatching(/^Direct invoke: 202 in \d+ ms, caller arn:aws:sts::000000000000:assumed-role\//)]);
  expect(await page.locator('[data-lane="route"] .step-text').allTextContents()).toEqual([expect.stringMatching(/^Route decision: bucket \d+, percentage 0 → direct$/)]);
}, REDEPLOY_BOUND_MS + 60_000);

it('with execute-api answering 500, the trace shows the fallback and the answer arrives once', async () => {
  await page.getByLabel('executionApiPercentage').fill('100');
  await page.getByRole('button', { name: 'Redeploy' }).click();
  await page.locator('#control-result').filter({ hasText: 'Redeployed: executionApiPercentage=100, enableDirectInvokeFallback=true' }).waitFor({ timeout: REDEPLOY_BOUND_MS });
  await page.getByLabel('Target').selectOption('executeApi');
  await page.getByLabel('Fault (JSON)').fill('{"mode":"status","status":500}');
  await page.getByRole('button', { name: 'Inject' }).click();
  await page.locator('#faults-active').filter({ hasText: 'Armed: executeApi {"mode":"status","status":500}' }).waitFor();

  const eventId = await send('Still there?');
  await settled(eventId, 'Still there?');
  await expect(page.locator('#trace-summary').textContent()).resolves.toBe(`Event ${eventId} — path: direct invoke (after a fallback from the API)`);
  expect(await page.locator('[data-lane="execute-api"] .step-text').allTextContents()).toEqual([
    expect.stringMatching(/^Execution API: 500 InternalServerErrorException in \d+ ms; not authenticated \(the request failed first\)$/),
  ]);
  expect(await page.locator('[data-lane="route"] .step-text').allTextContents()).toContainEqual(expect.stringMatching(/^Fallback: to the direct invoke/));
  expect(await page.locator('[data-lane="direct"] .step-text').count()).toBe(1);
  await expect(threadOf(eventId).locator('.message.bot .text').allTextContents()).resolves.toEqual([answer('Still there?')]);
  expect(stack.slack.botReplies({ threadTs: (await threadOf(eventId).getAttribute('data-ts')) as string })).toHaveLength(1);

  await page.getByRole('button', { name: 'Clear all' }).click();
  await page.locator('#faults-active').filter({ hasText: 'No fault armed.' }).waitFor();
}, REDEPLOY_BOUND_MS + 60_000);

it('who may call what: the verification role may invoke the API, another role is denied by the resource policy', async () => {
  await page.getByLabel('Principal').selectOption('verification');
  await page.getByRole('button', { name: 'Decide' }).click();
  await page.locator('#verdict .decision').filter({ hasText: 'IAM verdict: allow' }).waitFor();
  await page.getByLabel('Principal').selectOption('otherRole');
  await page.getByRole('button', { name: 'Decide' }).click();
  await page.locator('#verdict .decision').filter({ hasText: 'IAM verdict: explicit deny' }).waitFor();
  expect(await page.locator('#verdict pre').first().textContent()).toMatch(/^Deny from the resource policy, statement 1 \(DenyEveryoneElse\)\n\{\n[^]*\n {2}"Sid": "DenyEveryoneElse"\n\}$/);
});

it('the page never shows a real secret', async () => {
  const html = await page.content();
  const state = await (await fetch(`${console_.url}api/state`)).text();
  for (const secret of Object.values(SECRETS)) {
    expect(html).not.toContain(secret);
    expect(state).not.toContain(secret);
  }
  // The secrets are in use (the bot answered with them), so their absence is not an accident of an empty page.
  expect(stack.credentials.slack.botToken).toBe(SECRETS.botToken);
  expect(await page.locator('.message.bot').count()).toBe(3);
});

it('a reply in a thread and a direct message are answered where they were posted', async () => {
  const first = await threadOf((await page.locator('.message[data-event-id]').first().getAttribute('data-event-id')) as string);
  await first.getByRole('button', { name: 'Reply in thread' }).click();
  await page.locator('#reply-target').filter({ hasText: /^Replying in the thread of \d+\.\d{6}$/ }).waitFor();
  const reply = await send('And in a thread?');
  await settled(reply, 'And in a thread?');
  expect(await first.locator('.replies .message .text').allTextContents()).toEqual([
    answer('What is SigV4?'),
    '<@U0LOCALBOT1> And in a thread?',
    '(local model) You asked: "And in a thread?"\nEarlier in this thread: 2 messages (1 user message, 1 assistant message).',
  ]);

  await page.getByRole('button', { name: 'DM with the bot (D0LOCALDM01)' }).click();
  await page.getByLabel('Message (a direct message to the bot)').waitFor();
  const dm = await send('Hello in private');
  await settled(dm, 'Hello in private');
  await expect(threadOf(dm).locator('.message:not(.bot) .text').allTextContents()).resolves.toEqual(['Hello in private']);
  await expect(threadOf(dm).locator('.message.bot .text').allTextContents()).resolves.toEqual([answer('Hello in private')]);
  await page.getByRole('button', { name: '# C0LOCAL0001' }).click();
});

it('the model’s latency and speed are set from the page, and a slower answer streams in parts', async () => {
  // About 20 tokens at 5 per second: the execution layer appends to the stream about once a second in between.
  await page.getByLabel('Speed (tokens per second, 0: all at once)').fill('5');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('#control-result').filter({ hasText: 'Model: first token after 40 ms, 5 tokens per second' }).waitFor();
  expect(stack.modelStream.tokensPerSecond).toBe(5);

  const eventId = await send('Slowly, please');
  await settled(eventId, 'Slowly, please');
  await expect(threadOf(eventId).locator('.message.bot .text').allTextContents()).resolves.toEqual([answer('Slowly, please')]);
  const calls = await page.locator('[data-lane="slack-api"] .step-text').allTextContents();
  expect(calls.filter((c) => c.startsWith('chat.'))).toEqual([
    'chat.startStream: HTTP 200, ok',
    ...calls.filter((c) => c.startsWith('chat.appendStream')).map(() => 'chat.appendStream: HTTP 200, ok'),
    'chat.stopStream: HTTP 200, ok',
  ]);
  expect(calls.filter((c) => c.startsWith('chat.appendStream')).length).toBeGreaterThan(0);
  await page.getByLabel('Speed (tokens per second, 0: all at once)').fill('0');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('#control-result').filter({ hasText: 'Model: first token after 40 ms, 0 tokens per second' }).waitFor();
});

it('a message posted outside the page (the stand-in’s /_local/messages) appears live and opens its trace', async () => {
  const posted = await rawRequest(new URL('/_local/messages', stack.urls.slackApi), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"From curl"}' });
  const { eventId } = JSON.parse(posted.body) as { eventId: string };
  await stack.waitForIdle();
  await threadOf(eventId).locator('.message.bot .text').filter({ hasText: 'You asked: "From curl"' }).waitFor();
  await page.locator(`[data-event-id="${eventId}"]`).click();
  await page.locator('#trace-summary').filter({ hasText: `Event ${eventId} — path: API Gateway` }).waitFor();
  await page.locator('[data-lane="slack-api"] .step-text').filter({ hasText: 'chat.stopStream: HTTP 200, ok' }).waitFor();
});

it('works from the keyboard, keeps text contrast at WCAG AA, and fits a narrow window', async () => {
  // Keyboard: focus the first message and open its trace with Enter.
  const first = page.locator('.message[data-event-id]').first();
  const eventId = (await first.getAttribute('data-event-id')) as string;
  await first.focus();
  await page.keyboard.press('Enter');
  await page.locator('#trace-summary').filter({ hasText: `Event ${eventId} — path: API Gateway` }).waitFor();

  // Contrast of every visible text against the background it is drawn on (WCAG 2.x relative luminance).
  const failures = await page.evaluate(() => {
    const channel = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => 0.2126 * channel(r / 255) + 0.7152 * channel(g / 255) + 0.0722 * channel(b / 255);
    const background = (node: Element | null): number[] => {
      for (let el = node; el !== null; el = el.parentElement) {
        const [r = 0, g = 0, b = 0, a = 1] = rgb(getComputedStyle(el).backgroundColor);
        if (a > 0 && getComputedStyle(el).backgroundColor !== 'rgba(0, 0, 0, 0)') return [r, g, b];
      }
      return [255, 255, 255];
    };
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const text = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      if (!text || (el as HTMLElement).offsetParent === null) continue;
      const style = getComputedStyle(el);
      const [fg, bg] = [luminance(rgb(style.color)), luminance(background(el))];
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) found.push(`${el.tagName.toLowerCase()}.${el.className} ${ratio.toFixed(2)}`);
    }
    return found;
  });
  expect(failures).toEqual([]);

  // A narrow window: one column, nothing wider than the window.
  await page.setViewportSize({ width: 380, height: 800 });
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  await page.setViewportSize({ width: 1280, height: 900 });
});

describe('loopback only', () => {
  const control = (headers: Record<string, string>) =>
    rawRequest(`${console_.url}api/model`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: '{"latencyMs":5}' });
  const token = async () => /name="console-token" content="([^"]+)"/.exec((await rawRequest(console_.url)).body)?.[1] as string;

  it('a control request from a foreign Origin is refused with 403', async () => {
    const response = await control({ origin: 'http://evil.example', 'x-console-token': await token() });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ message: 'the console answers only its own page (Origin header refused)' });
  });

  it('a control request for a foreign Host (DNS rebinding) is refused with 403', async () => {
    const response = await control({ host: `rebind.example:${console_.port}`, 'x-console-token': await token() });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ message: 'the console answers only requests for its own loopback address (Host header refused)' });
  });

  it('a control request without the session token is refused with 403, with it is served', async () => {
    const refused = await control({ origin: console_.url.slice(0, -1) });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({ message: 'control requests need the session token of the console page' });
    expect(stack.modelLatencyMs).toBe(40);
    const served = await control({ origin: console_.url.slice(0, -1), 'x-console-token': await token() });
    expect(served.status).toBe(200);
    expect(stack.modelLatencyMs).toBe(5);
  });

  it('bad control input gets a 400 naming what was wrong, and changes nothing', async () => {
    const headers = { 'content-type': 'application/json', origin: console_.url.slice(0, -1), 'x-console-token': await token() };
    const put = (path: string, body: string, method = 'PUT') => rawRequest(`${console_.url}${path}`, { method, headers, body });
    const cases: Array<[Promise<{ status: number; body: string }>, number, string]> = [
      [put('api/deployment', '{"executionApiPercentage":101}'), 400, 'executionApiPercentage must be a whole number from 0 to 100, got 101'],
      [put('api/deployment', '{"enableDirectInvokeFallback":"yes"}'), 400, 'enableDirectInvokeFallback must be true or false'],
      [put('api/model', '{"latencyMs":-1}'), 400, 'latencyMs must be a whole number of ms from 0 to 600000'],
      [put('api/model', '{"tokensPerSecond":1.5}'), 400, 'tokensPerSecond must be a whole number from 0 to 10000'],
      [put('api/messages', '{"text":"  "}', 'POST'), 400, 'text is required'],
      [put('api/messages', '{"text":"hi","channel":"C0NOPE"}', 'POST'), 400, 'unknown channel "C0NOPE"'],
      [put('api/messages', 'not json', 'POST'), 400, 'the body must be JSON'],
      [put('api/faults/executeApi', '{"mode":"status","status":200}'), 400, 'fault for executeApi: status must be an error status from 400 to 599'],
    ];
    for (const [response, status, message] of cases) {
      const answered = await response;
      expect([answered.status, JSON.parse(answered.body).message]).toEqual([status, message]);
    }
    expect(stack.handoff).toEqual({ executionApiPercentage: 100, enableDirectInvokeFallback: true });
    expect(stack.faults.get('executeApi')).toBeUndefined();
  });
});
