import type { PolicyDocument } from '@slack-ai-app/aws-emulation';
import { authorizeCaller } from '../iam/authorization';
import type { LocalPrincipal } from '../iam/principals';
import type { ConsolePrincipal, ConsoleVerdict } from './api-types';

/** A resource the "who may call what" view knows, with its resource policy when it has one. */
export interface ConsoleResource {
  readonly arn: string;
  readonly label: string;
  readonly resourcePolicy: PolicyDocument | undefined;
}

/** Thrown for a question the IAM view cannot answer (unknown principal or resource, empty action). */
export class ConsoleIamQueryError extends Error {
  override readonly name = 'ConsoleIamQueryError';
}

/**
 * The stack's principals, as the view lists them (never their keys).
 *
 * @param principals - `stack.credentials.principals`
 */
export function consolePrincipals(principals: Readonly<Record<string, LocalPrincipal>>): ConsolePrincipal[] {
  return Object.values(principals).map((p) => ({ name: p.name, arn: p.principalArn, description: p.description, identityPolicies: p.identityPolicies }));
}

/**
 * "Who may call what": the IAM verdict for a principal, an action and a resource, with the statements that decided
 * it, from the same evaluation the local services make (`authorizeCaller`, over tools/aws-emulation's `authorize`).
 *
 * @param query - principal name, action (e.g. `execute-api:Invoke`), resource ARN
 * @param principals - the stack's principals (`stack.credentials.principals`)
 * @param resources - the resources the stack deployed
 * @throws {@link ConsoleIamQueryError} naming what was wrong
 */
export function decide(
  query: { principal: string; action: string; resource: string },
  principals: Readonly<Record<string, LocalPrincipal>>,
  resources: readonly ConsoleResource[],
): ConsoleVerdict {
  const principal = Object.hasOwn(principals, query.principal) ? principals[query.principal] : undefined;
  if (principal === undefined) throw new ConsoleIamQueryError(`unknown principal ${JSON.stringify(query.principal)}; one of ${Object.keys(principals).join(', ')}`);
  if (!/^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(query.action)) throw new ConsoleIamQueryError(`action must look like service:Action, got ${JSON.stringify(query.action)}`);
  const resource = resources.find((r) => r.arn === query.resource);
  if (resource === undefined) throw new ConsoleIamQueryError(`unknown resource ${JSON.stringify(query.resource)}`);
  // The same evaluation the local services make for a caller (its identity policies, the resource's policy).
  const result = authorizeCaller(principal, query.action, resource.arn, resource.resourcePolicy);
  return {
    decision: result.decision,
    deciding: result.deciding.map((d) => ({
      policy: d.policy,
      index: d.index,
      sid: d.sid,
      effect: d.effect,
      statement: statementsOf(d.policy === 'resource' ? resource.resourcePolicy : principal.identityPolicies[d.document])[d.index],
    })),
  };
}

function statementsOf(document: PolicyDocument | undefined): unknown[] {
  if (document === undefined) return [];
  const statement = (document as { Statement?: unknown }).Statement;
  return Array.isArray(statement) ? statement : [statement];
}
