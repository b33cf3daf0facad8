import type { CallerPrincipal, PolicyDocument, PolicyStatement } from '../../src';

/** Fixed accounts and principals for the evaluator's tests. */
export const OWNER = '111111111111';
export const OTHER = '222222222222';

/** A role session of `account`, as STS and IAM name it. */
export function roleSession(account: string, name: string, session = 'session'): CallerPrincipal {
  return {
    type: 'role',
    arn: `arn:aws:iam::${account}:role/${name}`,
    sessionArn: `arn:aws:sts::${account}:assumed-role/${name}/${session}`,
    accountId: account,
  };
}

/** A service principal (no account, no identity policies). */
export function service(name: string): CallerPrincipal {
  return { type: 'service', arn: name, service: name };
}

/** A policy document from statements. */
export function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}
