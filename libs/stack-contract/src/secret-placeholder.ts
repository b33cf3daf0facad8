/**
 * The length of the value CloudFormation generates for an `AWS::SecretsManager::Secret` with an empty
 * `GenerateSecretString` (what `new secretsmanager.Secret()` synthesizes when no value is given): `PasswordLength`
 * defaults to 32, and `RequireEachIncludedType` defaults to true, so the value holds at least one upper-case letter,
 * lower-case letter, digit and punctuation character, and no space (`IncludeSpace` defaults to false).
 * Source: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-secretsmanager-secret-generatesecretstring.html
 */
export const GENERATED_PLACEHOLDER_LENGTH = 32;

/**
 * Whether a secret value is still the random placeholder CloudFormation generated when the stack created the secret,
 * i.e. nobody has stored the real Slack value yet. Neither real value can look like it: a Slack signing secret is 32
 * lower-case hex characters (no upper case, no punctuation) and a bot token starts with `xoxb-` and is longer.
 *
 * @param value - the secret's current value (never logged by this function)
 * @returns `true` when the value has exactly the generated shape
 */
export function isGeneratedPlaceholder(value: string): boolean {
  return (
    value.length === GENERATED_PLACEHOLDER_LENGTH &&
    !/\s/.test(value) &&
    /[A-Z]/.test(value) &&
    /[a-z]/.test(value) &&
    /[0-9]/.test(value) &&
    /[^A-Za-z0-9]/.test(value)
  );
}
