import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Props of {@link SlackSecrets}. */
export interface SlackSecretsProps {
  /**
   * What happens to the secrets when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The two Slack credentials, in Secrets Manager: the signing secret (read by the verification Lambda) and the bot token
 * (read by the execution Lambda). Each function is granted read on its own secret only.
 *
 * Their values are set outside the template, never in it: CloudFormation creates each secret with a random placeholder
 * that it generates itself, and the operator then stores the real value with `aws secretsmanager put-secret-value`
 * (see the README). Either value may be the bare string or a JSON object holding it.
 */
export class SlackSecrets extends Construct {
  /** The Slack app's signing secret (`SLACK_SIGNING_SECRET_ARN`). */
  public readonly signingSecret: secretsmanager.Secret;
  /** The Slack bot token, `xoxb-…` (`SLACK_BOT_TOKEN_ARN`). */
  public readonly botToken: secretsmanager.Secret;

  /**
   * @param scope - parent construct
   * @param id - construct id
   * @param props - see {@link SlackSecretsProps}
   */
  constructor(scope: Construct, id: string, props: SlackSecretsProps = {}) {
    super(scope, id);
    this.signingSecret = slackSecret(this, 'SigningSecret', props);
    this.botToken = slackSecret(this, 'BotToken', props);
  }
}

const SECRET_DESCRIPTIONS = {
  SigningSecret: 'Slack app signing secret. Set the real value with put-secret-value after the first deploy.',
  BotToken: 'Slack bot token (xoxb-...). Set the real value with put-secret-value after the first deploy.',
} as const;

/**
 * One of the two Slack secrets, value set outside the template (see {@link SlackSecrets}). The two-account layout uses
 * it directly: each account holds only the secret its own layer reads.
 *
 * @param scope - parent construct
 * @param which - `SigningSecret` (verification layer) or `BotToken` (execution layer); also the construct id
 * @param props - see {@link SlackSecretsProps}
 * @returns the secret
 */
export function slackSecret(scope: Construct, which: keyof typeof SECRET_DESCRIPTIONS, props: SlackSecretsProps = {}): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, which, {
    description: SECRET_DESCRIPTIONS[which],
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Slack issues this credential; it cannot be rotated by a Secrets Manager rotation Lambda. It is rotated in the Slack app settings and stored again with put-secret-value.',
  });
  return secret;
}
