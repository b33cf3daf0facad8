import type { LocalStackCredentials, LocalStackUrls } from '../stack';
import { LOCAL_SLACK_SECRETS } from '../stack';
import type { LocalDeployment } from '../assembly/deployment';
import type { LogEntry } from '../logs';
import type { BotReply, TextChange } from '../slack/workspace';
import type { TraceEntry } from '../trace';
import type { Verbosity } from './environment';

/** Keys of a pino line that the compact view leaves out (they are the same on every line of an invocation). */
const HIDDEN_KEYS = new Set(['level', 'time', 'service', 'aws_request_id', 'function_name', 'correlation_id', 'event', '_aws', 'msg']);
const MAX_VALUE_CHARS = 80;

/** Everything the startup banner shows. */
export interface BannerInput {
  readonly urls: LocalStackUrls;
  readonly credentials: LocalStackCredentials;
  readonly percentage: number;
  readonly fallback: boolean;
  readonly modelLatencyMs: number;
  /** The console's URL, when it runs. */
  readonly consoleUrl?: string;
  readonly realSlack: boolean;
  readonly realBedrock: boolean;
}

/**
 * The text `npm start` prints when the stack is ready: endpoints, local credentials and example commands. A real
 * Slack secret or token (from the environment) is never shown; only the documented local values are.
 *
 * @param input - urls, credentials, settings
 */
export function banner(input: BannerInput): string {
  const { urls, credentials } = input;
  const p = credentials.principals;
  const lines = [
    'slack-ai-app local stack is ready. Press Ctrl-C to stop.',
    '',
    'Endpoints',
    ...(input.consoleUrl === undefined ? [] : [`  Console (open in a browser)         ${input.consoleUrl}`]),
    `  Slack ingress (local Function URL)  ${urls.slackEvents}`,
    `  Local AWS endpoint                  ${urls.aws}   (region ${credentials.region}, ${
      credentials.accounts?.crossAccount === true
        ? `accounts ${credentials.accounts.verification} (verification) and ${credentials.accounts.execution} (execution)`
        : `account ${credentials.accountId}`
    })`,
    `  Execution API stage URL             ${urls.executionApiStage}   -> POST ${urls.executeApi}`,
    `  Slack Web API stand-in              ${urls.slackApi}`,
    `  Dead-letter store                   ${urls.deadLetters}`,
    `  Recorded Slack calls                ${urls.slackCalls}`,
    '',
    `Hand-off: USE_API_GATEWAY_PERCENTAGE=${input.percentage}, direct-invoke fallback ${input.fallback ? 'on' : 'off'}; ` +
      `model: ${input.realBedrock ? 'real Bedrock' : `local, ${input.modelLatencyMs} ms latency`}; Slack: ${input.realSlack ? 'real workspace' : 'local stand-in'}`,
    '',
    'Local credentials (fake: they work only against this stack)',
    ...(['verification', 'otherRole', 'execution', 'developer', 'otherAccountRole'] as const).flatMap((name) => {
      const principal = p[name];
      if (principal === undefined) return [];
      const token = principal.sessionToken === undefined ? '' : ` AWS_SESSION_TOKEN=${principal.sessionToken}`;
      return `  ${name.padEnd(13)} AWS_ACCESS_KEY_ID=${principal.accessKeyId} AWS_SECRET_ACCESS_KEY=${principal.secretAccessKey}${token}\n                (${principal.description})`;
    }),
    `  Slack signing secret  ${credentials.slack.signingSecret === LOCAL_SLACK_SECRETS.signingSecret ? credentials.slack.signingSecret : '(from the environment, not shown)'}   (Secrets Manager: ${credentials.slack.signingSecretName})`,
    `  Slack bot token       ${credentials.slack.botToken === LOCAL_SLACK_SECRETS.botToken ? credentials.slack.botToken : '(from the environment, not shown)'}   (Secrets Manager: ${credentials.slack.botTokenName})`,
    '',
    'Try',
    '  npm run demo -- "What is a local stack?"',
    `  curl --aws-sigv4 "aws:amz:${credentials.region}:execute-api" --user "${p.verification.accessKeyId}:${p.verification.secretAccessKey}" \\`,
    `    -H "x-amz-security-token: ${p.verification.sessionToken ?? ''}" -H "content-type: application/json" \\`,
    `    -d '{"channel":"C0LOCAL0001","text":"hello from curl","user_id":"U0LOCALUSER","team_id":"T0LOCAL0001","event_id":"EvCURL0001","correlation_id":"curl-1"}' \\`,
    `    ${urls.executeApi}`,
    `  AWS_ACCESS_KEY_ID=${p.developer.accessKeyId} AWS_SECRET_ACCESS_KEY=${p.developer.secretAccessKey} \\`,
    `    aws --endpoint-url ${urls.aws} --region ${credentials.region} secretsmanager get-secret-value --secret-id ${credentials.slack.botTokenName}`,
    '',
  ];
  return lines.join('\n');
}

/**
 * One captured Lambda line as `npm start` prints it, or `undefined` when the verbosity hides it.
 *
 * - `all`: every line, raw;
 * - `events`: app events in a compact form, errors, and the runtime's timeout / invoke-error lines;
 * - `quiet`: app lines at level error only.
 *
 * @param entry - the captured line
 * @param verbosity - the CLI verbosity
 * @param aliases - short names to print for function names (e.g. the template's long generated name → `verification`)
 */
export function formatLogLine(entry: LogEntry, verbosity: Verbosity, aliases: Readonly<Record<string, string>> = {}): string | undefined {
  const who = (aliases[entry.functionName] ?? entry.functionName).padEnd(12);
  const time = entry.time.toISOString().slice(11, 23);
  if (verbosity === 'all') return `${time} ${who} ${entry.stream === 'stdout' ? '' : `[${entry.stream}] `}${entry.line}`;
  if (entry.json !== undefined) {
    const level = String(entry.json['level'] ?? 'info');
    if (verbosity === 'quiet' && level !== 'error') return undefined;
    const event = String(entry.json['event'] ?? entry.json['msg'] ?? '');
    const details = Object.entries(entry.json)
      .filter(([key]) => !HIDDEN_KEYS.has(key))
      .map(([key, value]) => `${key}=${short(value)}`)
      .join(' ');
    return `${time} ${who} ${level === 'info' ? '' : `${level.toUpperCase()} `}${event}${details === '' ? '' : `  ${details}`}`;
  }
  if (verbosity === 'events' && entry.stream === 'platform') {
    if (entry.line.includes('Task timed out')) return `${time} ${who} ${entry.line.split(' ').slice(2).join(' ')}`;
    const invokeError = /\tInvoke Error \t(\{.*\})$/.exec(entry.line);
    if (invokeError !== null) {
      const error = JSON.parse(invokeError[1] as string) as { errorType?: string; errorMessage?: string };
      return `${time} ${who} Invoke Error ${error.errorType ?? 'Error'}: ${short(error.errorMessage ?? '')}`;
    }
  }
  return undefined;
}

/**
 * The short deployment summary `npm start` prints: what the assembly deployed, what is not emulated and why, and the
 * time to ready.
 *
 * @param deployment - what was deployed
 * @param assembly - the assembly directory it came from
 * @param startupMs - time from start to ready
 */
export function formatDeploymentSummary(deployment: LocalDeployment, assembly: string, startupMs: number): string {
  const byType = new Map<string, number>();
  for (const r of deployment.resources) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  const types = [...byType.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => `${type.replace(/^AWS::/, '')} ${n}`);
  const notEmulated = new Map<string, string>();
  for (const n of deployment.notEmulated) notEmulated.set(n.type, n.why);
  return [
    `Deployed ${deployment.stackName} from ${assembly}: ${deployment.resources.length} resources (GET /_local/resources)`,
    `  ${types.join(', ')}`,
    ...deployment.functions.map((f) => `  function ${f.name}: ${f.memoryMb} MB, ${f.timeoutSeconds} s, ${f.architectures.join('/')}${f.secretsExtension ? ', secrets extension' : ''}`),
    'Not emulated:',
    ...[...notEmulated.entries()].map(([type, why]) => `  ${type}: ${why}`),
    `Ready in ${Math.round(startupMs)} ms.`,
  ].join('\n');
}

/**
 * A bot reply as `npm start` prints it.
 *
 * @param reply - the recorded reply
 */
export function formatBotReply(reply: BotReply): string {
  const where = reply.threadTs === undefined ? `channel ${reply.channel}` : `thread ${reply.threadTs} in ${reply.channel}`;
  return [`>>> bot reply (${where}):`, ...reply.text.split('\n').map((line) => `    ${line}`)].join('\n');
}

/**
 * A streamed message's growth as `npm start` prints it, one line per call: the text it added (`chat.startStream`,
 * `chat.appendStream`), or the whole text it replaced (`chat.update`). Posts and stops are printed whole by
 * {@link formatBotReply}.
 *
 * @param reply - the message after the change
 * @param change - the change
 * @param previous - the message's text before the change
 * @returns the line, or `undefined` when the change is printed elsewhere
 */
export function formatTextChange(reply: BotReply, change: TextChange, previous: string): string | undefined {
  if (change.method === 'chat.startStream' || change.method === 'chat.appendStream') {
    const added = reply.text.startsWith(previous) ? reply.text.slice(previous.length) : reply.text;
    return `>>> streaming ${reply.ts} +${added.length} chars: ${JSON.stringify(added)}`;
  }
  if (change.method === 'chat.update') return `>>> bot message ${reply.ts} replaced (chat.update):\n${reply.text.split('\n').map((line) => `    ${line}`).join('\n')}`;
  return undefined;
}

/** How a streamed reply grew, as the demo reports it: milliseconds from the user's message to the first and last text. */
export interface ReplyTiming {
  readonly firstTextAfterMs: number;
  readonly lastTextAfterMs: number;
  /** Calls that changed the message (start, appends, stop, or one post). */
  readonly calls: number;
}

/** What the demo learned about one event. */
export interface DemoTrace {
  readonly question: string;
  readonly eventId: string;
  readonly ackStatus: number;
  readonly ackLatencyMs: number;
  readonly reply: BotReply | undefined;
  readonly replyAfterMs: number;
  /** For a reply, when its text first showed and when it was complete. */
  readonly timing?: ReplyTiming | undefined;
  readonly entries: readonly TraceEntry[];
  readonly stackWasRunning: boolean;
}

/**
 * The demo's printed trace: ack, path taken (API Gateway or direct, and whether it fell back), the API's status,
 * the execution attempts, and the reply text.
 *
 * @param trace - what the demo observed
 */
export function formatDemoTrace(trace: DemoTrace): string {
  const api = trace.entries.filter((e): e is Extract<TraceEntry, { kind: 'execute_api' }> => e.kind === 'execute_api');
  const direct = trace.entries.filter((e): e is Extract<TraceEntry, { kind: 'lambda_api' }> => e.kind === 'lambda_api' && e.invocationType === 'Event');
  const attempts = trace.entries.filter(
    // The execution layer is what the hand-off invokes (by the API or directly), never the Function URL's function.
    (e): e is Extract<TraceEntry, { kind: 'invocation' }> => e.kind === 'invocation' && e.source !== 'function_url',
  );
  const delivered = attempts[0];
  const path = delivered === undefined ? 'none (the execution layer was never invoked)' : delivered.source === 'execute_api' ? 'API Gateway' : 'direct (lambda:Invoke)';
  const fellBack = api.length > 0 && direct.length > 0;
  const apiStatus = api.length === 0 ? 'not called' : api.map((a) => `${a.status}${a.errorType === undefined ? '' : ` ${a.errorType}`} (${Math.round(a.latencyMs)} ms)`).join(', ');
  const deadLettered = trace.entries.some((e) => e.kind === 'dead_letter');
  const lines = [
    `Question       ${JSON.stringify(trace.question)}`,
    `Stack          ${trace.stackWasRunning ? 'the running stack' : 'started in-process for this demo'}`,
    `Slack ack      HTTP ${trace.ackStatus} in ${Math.round(trace.ackLatencyMs)} ms   (event ${trace.eventId})`,
    `Path taken     ${path}${fellBack ? ', after falling back from API Gateway' : ''}`,
    `Fallback used  ${fellBack ? 'yes' : 'no'}`,
    `Execution API  ${apiStatus}`,
    `Direct invoke  ${direct.length === 0 ? 'not used' : direct.map((d) => String(d.status)).join(', ')}`,
    `Execution      ${attempts.length === 0 ? 'no attempt' : attempts.map((a) => `${a.outcome}${a.errorType === undefined ? '' : ` (${a.errorType})`} in ${Math.round(a.durationMs)} ms${a.coldStart ? `, cold start ${Math.round(a.initDurationMs ?? 0)} ms` : ''}`).join('; ')}${deadLettered ? '; dead-lettered' : ''}`,
    ...(trace.timing === undefined
      ? []
      : [
          `First text     after ${(trace.timing.firstTextAfterMs / 1000).toFixed(1)} s; complete after ${(trace.timing.lastTextAfterMs / 1000).toFixed(1)} s ` +
            `(${trace.timing.calls} Slack message call${trace.timing.calls === 1 ? '' : 's'}${trace.reply?.stream !== undefined ? ', streamed' : ', posted whole'})`,
        ]),
    trace.reply === undefined
      ? 'Reply          none arrived'
      : `Reply          after ${(trace.replyAfterMs / 1000).toFixed(1)} s in thread ${trace.reply.threadTs ?? '-'}:\n${trace.reply.text
          .split('\n')
          .map((line) => `               ${line}`)
          .join('\n')}`,
  ];
  return lines.join('\n');
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}
