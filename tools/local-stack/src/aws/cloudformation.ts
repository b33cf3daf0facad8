import type { HttpReply, HttpRequestData } from '../http/types';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../constants';
import { queryError, queryParams, queryResponse, xmlText } from './query-protocol';

/** CloudFormation's Query namespace (API version 2010-05-15). */
const CLOUDFORMATION_NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/** A stack the local CloudFormation reports as deployed. */
export interface LocalStackDescription {
  readonly name: string;
  readonly status: string;
  readonly createdAt: Date;
  /** Output key to value, read when the stack is described. */
  readonly outputs: Readonly<Record<string, string>>;
}

/** Deterministic stack id of a local stack (real ones end in a random UUID). */
function stackId(name: string): string {
  return `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stack/${name}/00000000-0000-4000-8000-000000000000`;
}

function memberXml(stack: LocalStackDescription): string {
  const outputs = Object.entries(stack.outputs)
    .map(([key, value]) => `<member><OutputKey>${xmlText(key)}</OutputKey><OutputValue>${xmlText(value)}</OutputValue></member>`)
    .join('');
  return (
    `<member><StackName>${xmlText(stack.name)}</StackName><StackId>${stackId(stack.name)}</StackId>` +
    `<CreationTime>${stack.createdAt.toISOString()}</CreationTime><StackStatus>${xmlText(stack.status)}</StackStatus>` +
    `<Outputs>${outputs}</Outputs></member>`
  );
}

/**
 * CloudFormation `DescribeStacks` (Query protocol), read-only, for the stacks the local world has deployed. A stack
 * that does not exist gets 400 `ValidationError` "Stack with id <name> does not exist", as CloudFormation answers.
 * Sources: https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html; the
 * 400 `ValidationError` body a real call returned, quoted in https://github.com/boto/boto3/issues/2807
 *
 * @param stacks - the stacks, read at request time
 * @returns a handler for authenticated requests; any other action gets `InvalidAction`
 */
export function createCloudFormationHandler(stacks: () => readonly LocalStackDescription[]): (request: HttpRequestData) => Promise<HttpReply> {
  return async (request) => {
    const params = queryParams(request);
    const action = params.get('Action') ?? '';
    if (action !== 'DescribeStacks') {
      return queryError(400, 'InvalidAction', `The local stack emulates only CloudFormation DescribeStacks, not ${action || 'an unnamed action'}.`);
    }
    const wanted = params.get('StackName');
    const all = stacks();
    const found = wanted === null ? all : all.filter((stack) => stack.name === wanted || stackId(stack.name) === wanted);
    if (wanted !== null && found.length === 0) return queryError(400, 'ValidationError', `Stack with id ${wanted} does not exist`);
    return queryResponse(action, CLOUDFORMATION_NAMESPACE, `<Stacks>${found.map(memberXml).join('')}</Stacks>`);
  };
}
