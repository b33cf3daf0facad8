/** IAM condition block: operator → context key → value(s). */
export type PolicyConditionJson = Record<string, Record<string, string | string[]>>;

/** A principal: everyone (`'*'`), or AWS principals by ARN or account id. */
export type PolicyPrincipalJson = '*' | { AWS: string | string[] };

/** One statement of a resource policy, as IAM JSON. */
export interface PolicyStatementJson {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal: PolicyPrincipalJson;
  Action: string | string[];
  Resource: string | string[];
  Condition?: PolicyConditionJson;
}

/** An IAM policy document, as JSON (what CDK's `PolicyDocument.fromJson` and API Gateway's `Policy` take). */
export interface PolicyDocumentJson {
  Version: '2012-10-17';
  Statement: PolicyStatementJson[];
}
