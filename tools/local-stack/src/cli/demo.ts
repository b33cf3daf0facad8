/**
 * `npm run demo -- "your question"`: sends a correctly Slack-signed `app_mention` to the running stack (or starts one
 * in-process when none is running), waits for the reply and prints the trace. Exit code 0 when a reply arrived.
 */
import { LOOPBACK } from '../constants';
import { EnvironmentError, settingsFromEnvironment } from './environment';
import { runDemo } from './demo-run';
import { formatDemoTrace } from './format';

async function main(): Promise<number> {
  const question = process.argv.slice(2).join(' ').trim() || 'What can you do?';
  const settings = settingsFromEnvironment(process.env);
  const awsPort = settings.options.ports?.aws ?? 4566;
  process.stdout.write(`Asking the bot: ${JSON.stringify(question)}\n\n`);
  const trace = await runDemo({
    question,
    awsUrl: `http://${LOOPBACK}:${awsPort}`,
    inProcess: { ...settings.options, ports: { slack: 0, slackApi: 0, aws: 0 } },
  });
  process.stdout.write(`${formatDemoTrace(trace)}\n`);
  return trace.reply === undefined ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof EnvironmentError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`demo failed: ${message}\n`);
    process.exit(1);
  },
);
