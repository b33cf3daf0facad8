/**
 * `npm start`: runs the local stack on the default ports (overridable from the environment), prints every endpoint
 * and the local credentials when ready, prints the Lambdas' log events and the bot's replies, and stops cleanly on
 * Ctrl-C (SIGINT) or SIGTERM: workers terminated, servers closed, exit code 0.
 */
import { join } from 'node:path';
import { CONSOLE_ASSETS_DIR } from '../console/assets';
import { startConsole, type LocalConsole } from '../console/server';
import { findWorkspaceRoot, startLocalStack, type LocalStack } from '../stack';
import { CLI_ENV, settingsFromEnvironment } from './environment';
import { banner, formatBotReply, formatDeploymentSummary, formatLogLine, formatTextChange } from './format';
import { parseContextArgs, synthesizeWithContext, withLocalTwoAccountContext } from './synth-context';
import { HANDOFF_CONTEXT_KEYS, VERIFICATION_ENV } from '@slack-ai-app/stack-contract';

const write = (text: string) => process.stdout.write(`${text}\n`);

let stack: LocalStack | undefined;
let localConsole: LocalConsole | undefined;
let stopping: NodeJS.Signals | undefined;

function stop(signal: NodeJS.Signals): void {
  if (stopping !== undefined) return;
  stopping = signal;
  // During startup the stack is not there yet; main() stops it as soon as it is.
  if (stack !== undefined) void shutdown(stack, signal);
}

async function shutdown(running: LocalStack, signal: NodeJS.Signals): Promise<void> {
  write(`\n${signal}: stopping the local stack…`);
  try {
    await localConsole?.close();
    await running.stop();
    write('stopped.');
    process.exit(0);
  } catch (error) {
    process.stderr.write(`error while stopping: ${String(error)}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  // Handlers first, so that Ctrl-C during startup also ends in a clean stop.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const settings = settingsFromEnvironment(process.env);
  // `npm start -- -c key=value`: the same app synthesized with that context (else the assembly infra:synth wrote).
  // With -c verificationAccount=… -c executionAccount=…, both stacks of the two-account layout, each in its local account.
  const context = withLocalTwoAccountContext(parseContextArgs(process.argv.slice(2)));
  const assembly = Object.keys(context).length === 0 ? undefined : synthesizeWithContext(findWorkspaceRoot(), context);
  // Log lines name functions by their role: the template's generated names are long.
  const aliases: Record<string, string> = {};
  // Context that sets the hand-off wins over the CLI's default percentage, unless the variable is set explicitly.
  const keepTemplatePercentage = (HANDOFF_CONTEXT_KEYS.executionApiPercentage in context || HANDOFF_CONTEXT_KEYS.useApiGateway in context) && process.env[CLI_ENV.percentage] === undefined;
  stack = await startLocalStack({
    ...settings.options,
    ...(assembly !== undefined ? { assembly } : {}),
    ...(keepTemplatePercentage ? { useApiGatewayPercentage: 'template' as const } : {}),
    // A running system evaluates its alarms as CloudWatch does; tests opt in (they drive alarm state themselves).
    alarmEvaluation: {},
    onLog: (entry) => {
      const line = formatLogLine(entry, settings.verbosity, aliases);
      if (line !== undefined) write(line);
    },
    onBotReply: (reply) => write(formatBotReply(reply)),
  });
  if (stopping !== undefined) {
    await shutdown(stack, stopping);
    return;
  }
  for (const [role, fn] of Object.entries(stack.functions)) aliases[fn.name] = role;
  write(formatDeploymentSummary(stack.deployment, stack.assemblyDirectory, stack.startupMs));
  // Streamed answers are printed as they grow, not only once complete.
  const shown = new Map<string, string>();
  stack.slack.workspace.onBotText((reply, change) => {
    const line = formatTextChange(reply, change, shown.get(reply.ts) ?? '');
    shown.set(reply.ts, reply.text);
    if (line !== undefined) write(line);
  });
  const running = await startConsole({ stack, port: settings.consolePort, assetsDir: join(findWorkspaceRoot(), ...CONSOLE_ASSETS_DIR) }).catch(async (error: unknown) => {
    // Nothing is left behind: the stack stops (workers, servers, its temporary deployment) before the CLI exits.
    await stack?.stop();
    throw error;
  });
  localConsole = running;
  write(
    banner({
      urls: stack.urls,
      credentials: stack.credentials,
      percentage: Number(stack.functions.verification.configuration.environment[VERIFICATION_ENV.apiGatewayPercentage] ?? 0),
      fallback: settings.options.directInvokeFallback ?? true,
      modelLatencyMs: stack.modelLatencyMs,
      consoleUrl: running.url,
      realSlack: settings.realSlack,
      realBedrock: settings.realBedrock,
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`local stack failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
