import type { LocalDeployment } from '../assembly/deployment';
import type { SecretStore } from '../aws/secrets-manager';
import type { LocalStackOptions } from '../options';
import type { LocalStackCredentials } from './types';
import type { SystemWiring } from './system-wiring';

/** The local, obviously fake Slack secrets (printed at startup; they work only here). */
export const LOCAL_SLACK_SECRETS = {
  signingSecret: 'local-signing-secret-not-a-real-secret',
  botToken: 'xoxb-local-0000000000-not-a-real-token',
} as const;

/** The Slack secrets as deployed: values, names and ARNs. */
export type SlackSecrets = LocalStackCredentials['slack'];

/**
 * Stores the template's secrets in the local Secrets Manager. Names and ARNs come from the template; only the values
 * are local. Each function reads its secret by the ARN in its environment: the ingress function's is the signing
 * secret, the execution function's the bot token.
 *
 * @param slack - real Slack secrets to store instead of the local ones
 */
export function deploySecrets(secrets: SecretStore, deployment: LocalDeployment, wiring: SystemWiring, slack: LocalStackOptions['slack']): SlackSecrets {
  const signingSecret = slack?.signingSecret ?? LOCAL_SLACK_SECRETS.signingSecret;
  const botToken = slack?.botToken ?? LOCAL_SLACK_SECRETS.botToken;
  const signingSecretName = wiring.secretReadBy(wiring.functions.verification).name;
  const botTokenName = wiring.secretReadBy(wiring.functions.execution).name;
  for (const secret of deployment.secrets) secrets.put(secret.name, `local-value-of-${secret.logicalId}`, secret.arn);
  const signingSecretArn = secrets.put(signingSecretName, signingSecret).arn;
  const botTokenArn = secrets.put(botTokenName, botToken).arn;
  return { signingSecret, botToken, signingSecretArn, botTokenArn, signingSecretName, botTokenName };
}
