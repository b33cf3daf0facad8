import type { PolicyDocument, PolicyStatement } from '../iam/types';

const SHORTHAND = 'execute-api:/';

/**
 * API Gateway's resource-policy shorthand: a Resource `execute-api:/<stage>/<METHOD>/<path>` stands for
 * `arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>` of the API the policy is attached
 * to. Source: API Gateway Developer Guide, "Create and attach an API Gateway resource policy to an API"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html).
 * This is API Gateway's rule, not IAM's, so it lives here and not in {@link authorize}.
 *
 * @param policy - the API's resource policy
 * @param apiArnPrefix - `arn:aws:execute-api:<region>:<account>:<api-id>`
 * @returns a new document in which every `execute-api:/` Resource and NotResource is a full ARN; other values as they are
 */
export function expandExecuteApiShorthand(policy: PolicyDocument, apiArnPrefix: string): PolicyDocument {
  const expand = (value: string | readonly string[] | undefined): string | readonly string[] | undefined => {
    if (value === undefined) return undefined;
    const one = (item: string): string => (item.startsWith(SHORTHAND) ? `${apiArnPrefix}/${item.slice(SHORTHAND.length)}` : item);
    return typeof value === 'string' ? one(value) : value.map(one);
  };
  const statement = (s: PolicyStatement): PolicyStatement => {
    const copy: Record<string, unknown> = { ...s };
    if (s.Resource !== undefined) copy['Resource'] = expand(s.Resource);
    if (s.NotResource !== undefined) copy['NotResource'] = expand(s.NotResource);
    return copy as unknown as PolicyStatement;
  };
  const statements = policy.Statement;
  return {
    ...policy,
    Statement: Array.isArray(statements) ? (statements as readonly PolicyStatement[]).map(statement) : statement(statements as PolicyStatement),
  };
}
