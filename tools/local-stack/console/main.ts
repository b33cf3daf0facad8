/**
 * The local console's page: chat with the bot through the real ingress, each message's timeline, the controls and
 * the deployed system. Plain TypeScript over the DOM, bundled by esbuild (Nx `local-stack:build-console`); live
 * updates arrive as server-sent events, and the page fetches the state again when one does.
 */
import type { ConsoleMessage, ConsolePrincipal, ConsoleState, ConsoleTimeline, ConsoleVerdict } from '../src/console/api-types';
import { CONSOLE_EVENTS } from '../src/console/api-types';
import { api } from './api';
import { byId, el } from './dom';
import { drawTimeline, pathSummary } from './timeline';

interface View {
  state: ConsoleState | undefined;
  channel: string | undefined;
  /** The thread the composer replies in, if any. */
  replyTo: string | undefined;
  /** The message whose trace is open. */
  traced: string | undefined;
}

const view: View = { state: undefined, channel: undefined, replyTo: undefined, traced: undefined };

function say(text: string): void {
  byId('control-result').textContent = text;
}

let refreshing: Promise<void> | undefined;
let again = false;

/** Fetches the state and redraws; a refresh asked for while one runs runs once more after it (never two at once). */
function refresh(): Promise<void> {
  if (refreshing !== undefined) {
    again = true;
    return refreshing;
  }
  refreshing = redraw().finally(() => {
    refreshing = undefined;
    if (again) {
      again = false;
      void refresh();
    }
  });
  return refreshing;
}

async function redraw(): Promise<void> {
  const state = await api<ConsoleState>('GET', '/api/state');
  view.state = state;
  view.channel ??= state.channels[0]?.id;
  renderChannels(state);
  renderMessages(state);
  renderControls(state);
  if (view.traced !== undefined) await showTrace(view.traced);
}

function renderChannels(state: ConsoleState): void {
  byId('channels').replaceChildren(
    ...state.channels.map((channel) => {
      const button = el('button', { type: 'button', text: isDirect(channel.id) ? `DM with the bot (${channel.id})` : `# ${channel.id}`, 'aria-pressed': String(channel.id === view.channel) });
      button.addEventListener('click', () => {
        view.channel = channel.id;
        view.replyTo = undefined;
        byId('reply-target').hidden = true;
        void refresh();
      });
      return button;
    }),
  );
}

/** Slack's direct-message channels start with `D`. */
function isDirect(channel: string | undefined): boolean {
  return channel?.startsWith('D') === true;
}

function renderMessages(state: ConsoleState): void {
  const channel = state.channels.find((c) => c.id === view.channel);
  const messages = channel?.messages ?? [];
  const roots = messages.filter((m) => m.threadTs === undefined || m.threadTs === m.ts);
  byId('composer-label').textContent = isDirect(view.channel) ? 'Message (a direct message to the bot)' : 'Message (sent as a mention of the bot)';
  byId('messages').replaceChildren(
    ...roots.map((root) => {
      const replies = messages.filter((m) => m.threadTs === root.ts && m.ts !== root.ts);
      const reply = el('button', { type: 'button', class: 'reply-in-thread', text: 'Reply in thread' });
      reply.addEventListener('click', () => {
        view.replyTo = root.ts;
        const target = byId('reply-target');
        target.hidden = false;
        target.textContent = `Replying in the thread of ${root.ts}`;
        byId<HTMLInputElement>('composer-text').focus();
      });
      return el(
        'li',
        { class: 'thread', 'data-ts': root.ts },
        messageButton(root, state),
        reply,
        el('ol', { class: 'replies' }, ...replies.map((m) => el('li', {}, messageButton(m, state)))),
      );
    }),
  );
}

function messageButton(message: ConsoleMessage, state: ConsoleState): HTMLElement {
  const who = message.bot ? 'bot' : message.user === state.localUser ? 'you' : message.user;
  const reactions = message.reactions.map((r) => `:${r.name}: ${r.count}`).join(' ');
  const button = el(
    'button',
    {
      type: 'button',
      class: `message${message.bot ? ' bot' : ''}${message.eventId === view.traced && message.eventId !== undefined ? ' selected' : ''}`,
      'data-event-id': message.eventId,
      'aria-label': message.eventId === undefined ? undefined : `${who}: ${message.text} (open the trace of ${message.eventId})`,
    },
    el('span', { class: 'who', text: who }),
    el('span', { class: 'text', text: message.text }),
    el('span', { class: 'meta', text: `${message.streaming ? 'streaming… ' : ''}${reactions}` }),
  );
  if (message.eventId !== undefined) {
    const eventId = message.eventId;
    button.addEventListener('click', () => {
      view.traced = eventId;
      void refresh();
    });
  } else {
    button.disabled = !message.bot;
    if (message.bot && message.threadTs !== undefined) {
      // A bot reply opens the trace of the message it answers (the thread's first traced message).
      const answered = state.channels.flatMap((c) => c.messages).find((m) => m.eventId !== undefined && (m.threadTs ?? m.ts) === message.threadTs);
      if (answered?.eventId !== undefined) {
        const eventId = answered.eventId;
        button.addEventListener('click', () => {
          view.traced = eventId;
          void refresh();
        });
      }
    }
  }
  return button;
}

async function showTrace(eventId: string): Promise<void> {
  const timeline = await api<ConsoleTimeline>('GET', `/api/trace?event_id=${encodeURIComponent(eventId)}`);
  byId('trace-summary').textContent = pathSummary(timeline);
  drawTimeline(byId('timeline'), timeline);
}

function renderControls(state: ConsoleState): void {
  const percentage = byId<HTMLInputElement>('percentage');
  const fallback = byId<HTMLInputElement>('fallback');
  const latency = byId<HTMLInputElement>('model-latency');
  // Never overwrite a field the user is editing.
  if (document.activeElement !== percentage) percentage.value = String(state.deployment.executionApiPercentage);
  if (document.activeElement !== fallback) fallback.checked = state.deployment.enableDirectInvokeFallback;
  if (document.activeElement !== latency) latency.value = String(state.modelLatencyMs);
  const speed = byId<HTMLInputElement>('model-speed');
  if (document.activeElement !== speed) speed.value = String(state.tokensPerSecond);
  const target = byId<HTMLSelectElement>('fault-target');
  if (target.options.length === 0) target.append(...state.faultTargets.map((t) => el('option', { value: t, text: t })));
  const active = Object.entries(state.faults);
  byId('faults-active').textContent = active.length === 0 ? 'No fault armed.' : `Armed: ${active.map(([t, f]) => `${t} ${JSON.stringify(f)}`).join('; ')}`;
}

function onSubmit(id: string, action: () => Promise<string>): void {
  byId<HTMLFormElement>(id).addEventListener('submit', (event) => {
    event.preventDefault();
    say('Working…');
    action().then(say, (error: unknown) => say(`Refused: ${error instanceof Error ? error.message : String(error)}`));
  });
}

function wireForms(): void {
  onSubmit('composer', async () => {
    const input = byId<HTMLInputElement>('composer-text');
    const sent = await api<{ eventId: string; ackStatus: number }>('POST', '/api/messages', { text: input.value, channel: view.channel, ...(view.replyTo !== undefined ? { threadTs: view.replyTo } : {}) });
    input.value = '';
    view.replyTo = undefined;
    byId('reply-target').hidden = true;
    view.traced = sent.eventId;
    await refresh();
    return `Sent ${sent.eventId}: Slack ack ${sent.ackStatus}`;
  });
  onSubmit('deployment', async () => {
    const deployed = await api<ConsoleState['deployment']>('PUT', '/api/deployment', {
      executionApiPercentage: Number(byId<HTMLInputElement>('percentage').value),
      enableDirectInvokeFallback: byId<HTMLInputElement>('fallback').checked,
    });
    return `Redeployed: executionApiPercentage=${deployed.executionApiPercentage}, enableDirectInvokeFallback=${deployed.enableDirectInvokeFallback}`;
  });
  onSubmit('faults', async () => {
    const target = byId<HTMLSelectElement>('fault-target').value;
    let spec: unknown;
    try {
      spec = JSON.parse(byId<HTMLInputElement>('fault-spec').value);
    } catch {
      throw new Error('the fault must be JSON, e.g. {"mode":"status","status":500}');
    }
    await api('PUT', `/api/faults/${encodeURIComponent(target)}`, spec);
    await refresh();
    return `Fault armed on ${target}`;
  });
  byId('faults-clear').addEventListener('click', () => {
    api('DELETE', '/api/faults').then(
      () => refresh().then(() => say('Faults cleared')),
      (error: unknown) => say(`Refused: ${String(error)}`),
    );
  });
  onSubmit('model', async () => {
    const applied = await api<{ modelLatencyMs: number; tokensPerSecond: number }>('PUT', '/api/model', {
      latencyMs: Number(byId<HTMLInputElement>('model-latency').value),
      tokensPerSecond: Number(byId<HTMLInputElement>('model-speed').value),
    });
    return `Model: first token after ${applied.modelLatencyMs} ms, ${applied.tokensPerSecond} tokens per second`;
  });
  onSubmit('who', async () => {
    const query = new URLSearchParams({
      principal: byId<HTMLSelectElement>('who-principal').value,
      action: byId<HTMLInputElement>('who-action').value,
      resource: byId<HTMLSelectElement>('who-resource').value,
    });
    const verdict = await api<ConsoleVerdict>('GET', `/api/iam/decide?${query.toString()}`);
    byId('verdict').replaceChildren(
      el('p', { class: `decision ${verdict.decision}`, text: `IAM verdict: ${verdict.decision.replace('_', ' ')}` }),
      ...verdict.deciding.map((d) => el('pre', { text: `${d.effect} from the ${d.policy} policy, statement ${d.index}${d.sid === undefined ? '' : ` (${d.sid})`}\n${JSON.stringify(d.statement, null, 2)}` })),
      ...(verdict.deciding.length === 0 ? [el('p', { text: 'No statement allows it (implicit deny).' })] : []),
    );
    return `Decided: ${verdict.decision}`;
  });
}

async function loadDeployedSystem(): Promise<void> {
  const { principals, resources, assembly, notEmulated } = await api<{
    principals: ConsolePrincipal[];
    resources: Array<{ arn: string; label: string; resourcePolicy: unknown }>;
    assembly: Array<{ logicalId: string; type: string; physicalId: string }>;
    notEmulated: Array<{ logicalId: string; type: string; why: string }>;
  }>('GET', '/api/principals');
  byId('who-principal').replaceChildren(...principals.map((p) => el('option', { value: p.name, text: `${p.name} — ${p.arn}` })));
  byId('who-resource').replaceChildren(...resources.map((r) => el('option', { value: r.arn, text: r.label })));
  byId('assembly').replaceChildren(
    el('summary', { text: `All ${assembly.length} resources of the cloud assembly (${notEmulated.length} not emulated)` }),
    el(
      'ul',
      {},
      ...assembly.map((r) => {
        const why = notEmulated.find((n) => n.logicalId === r.logicalId)?.why;
        return el('li', { text: `${r.logicalId} (${r.type}): ${r.physicalId}${why === undefined ? '' : ` — not emulated: ${why}`}` });
      }),
    ),
  );
  byId('resources').replaceChildren(
    ...principals.map((p) =>
      el(
        'li',
        {},
        el('strong', { text: `principal ${p.name}` }),
        el('code', { text: ` ${p.arn}` }),
        el('details', {}, el('summary', { text: 'Identity policies' }), el('pre', { text: JSON.stringify(p.identityPolicies, null, 2) })),
      ),
    ),
    ...resources.map((r) =>
      el(
        'li',
        {},
        el('strong', { text: r.label }),
        el('code', { text: ` ${r.arn}` }),
        ...(r.resourcePolicy === undefined ? [] : [el('details', {}, el('summary', { text: 'Resource policy' }), el('pre', { text: JSON.stringify(r.resourcePolicy, null, 2) }))]),
      ),
    ),
  );
}

function connect(): void {
  const live = byId('live');
  const source = new EventSource('/api/events');
  source.addEventListener(CONSOLE_EVENTS.changed, () => {
    live.textContent = 'live';
    void refresh();
  });
  source.addEventListener('error', () => {
    live.textContent = 'disconnected, reconnecting…';
  });
}

wireForms();
void loadDeployedSystem();
connect();
