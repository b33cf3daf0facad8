import type { PolicyDocument, PolicyPrincipal, PolicyStatement } from '@slack-ai-app/aws-emulation';
import type { LambdaPermission } from '../assembly/deployment';

/**
 * A function's resource-based policy, as Lambda builds it from its permissions (`AddPermission` /
 * `AWS::Lambda::Permission`): one Allow per permission, `SourceArn` as an `ArnLike` on `AWS:SourceArn`, `SourceAccount`
 * as a `StringEquals` on `AWS:SourceAccount`, `FunctionUrlAuthType` and `InvokedViaFunctionUrl` as conditions on
 * `lambda:FunctionUrlAuthType` and `lambda:InvokedViaFunctionUrl` ("Viewing resource-based IAM policies in Lambda",
 * https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html; "Control access to Lambda function
 * URLs", https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
 *
 * @param functionArn - the function
 * @param permissions - the template's permissions (those of other functions are ignored)
 */
export function functionPolicy(functionArn: string, permissions: readonly LambdaPermission[]): PolicyDocument {
  const statements: PolicyStatement[] = permissions
    .filter((p) => p.functionArn === functionArn)
    .map((p) => {
      const condition: Record<string, Record<string, string>> = {};
      const add = (operator: string, key: string, value: string) => (condition[operator] = { ...condition[operator], [key]: value });
      if (p.sourceArn !== undefined) add('ArnLike', 'AWS:SourceArn', p.sourceArn);
      if (p.sourceAccount !== undefined) add('StringEquals', 'AWS:SourceAccount', p.sourceAccount);
      if (p.functionUrlAuthType !== undefined) add('StringEquals', 'lambda:FunctionUrlAuthType', p.functionUrlAuthType);
      if (p.invokedViaFunctionUrl === true) add('Bool', 'lambda:InvokedViaFunctionUrl', 'true');
      const principal: PolicyPrincipal = p.principal === '*' ? '*' : p.principal.endsWith('.amazonaws.com') ? { Service: p.principal } : { AWS: p.principal };
      return {
        Sid: p.logicalId,
        Effect: 'Allow' as const,
        Principal: principal,
        Action: p.action,
        Resource: functionArn,
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      };
    });
  return { Version: '2012-10-17', Statement: statements };
}
