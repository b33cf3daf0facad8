import { RegionInfo } from 'aws-cdk-lib/region-info';
import {
  EXECUTION_API_METHOD,
  EXECUTION_API_PATH,
  EXECUTION_API_STAGE,
  executeApiArnPrefix,
  methodArn,
} from '@slack-ai-app/execution-api-contract';
import {
  CROSS_ACCOUNT_CONTEXT_KEYS,
  EXECUTION_API_ID_OUTPUT,
  EXECUTION_FUNCTION_NAME,
  verificationRoleName,
} from '@slack-ai-app/stack-contract';
import { ContextError } from './errors';

/** An AWS account and Region. */
export interface AccountAndRegion {
  /** 12-digit account id. */
  readonly account: string;
  /** Region, e.g. `us-east-1`. */
  readonly region: string;
}

/** Where each layer goes when they are in two accounts (or two stacks of one account). */
export interface CrossAccountLayout {
  /** The verification layer's account and Region. */
  readonly verification: AccountAndRegion;
  /** The execution layer's account and Region. */
  readonly execution: AccountAndRegion;
  /**
   * The execution API's id (the execution stack's `ExecutionApiId` output). A REST API id is chosen by API Gateway at
   * creation, so it cannot be derived: the verification stack is built only once it is given.
   */
  readonly executionApiId: string | undefined;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// API Gateway REST API ids are 10 lower-case letters and digits (e.g. the `a1b2c3d4e5` of
// https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com, "Invoke a REST API in API Gateway", API Gateway Developer Guide).
const API_ID = /^[a-z0-9]{10}$/;

/**
 * Reads the layout from raw context values.
 *
 * @param get - returns the raw value of a context key, `undefined` when unset
 * @param defaultRegion - the Region the CDK CLI knows from the profile (`CDK_DEFAULT_REGION`), if any
 * @returns `undefined` for the same-account layout (neither account key given), else the two-account layout
 * @throws {@link ContextError} naming the key that is missing or malformed
 */
export function parseLayout(get: (key: string) => unknown, defaultRegion: string | undefined): CrossAccountLayout | undefined {
  const K = CROSS_ACCOUNT_CONTEXT_KEYS;
  const text = (key: string): string | undefined => {
    const raw = get(key);
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return undefined;
    if (typeof raw !== 'string' && typeof raw !== 'number') throw new ContextError(key, `must be a string, got ${JSON.stringify(raw)}`);
    return String(raw).trim();
  };
  const verificationAccount = text(K.verificationAccount);
  const executionAccount = text(K.executionAccount);
  if (verificationAccount === undefined && executionAccount === undefined) {
    for (const key of [K.verificationRegion, K.executionRegion, K.executionApiId]) {
      if (text(key) !== undefined) {
        throw new ContextError(key, `applies only to the two-account layout: give ${K.verificationAccount} and ${K.executionAccount} too`);
      }
    }
    return undefined;
  }
  const account = (key: string, value: string | undefined, other: string): string => {
    if (value === undefined) throw new ContextError(key, `is required with ${other}: the two-account layout needs both accounts`);
    if (!ACCOUNT.test(value)) throw new ContextError(key, `must be a 12-digit AWS account id, got ${JSON.stringify(value)}`);
    return value;
  };
  const verification = account(K.verificationAccount, verificationAccount, K.executionAccount);
  const execution = account(K.executionAccount, executionAccount, K.verificationAccount);
  const fallbackRegion = text(K.executionRegion) ?? text(K.verificationRegion) ?? defaultRegion;
  const region = (key: string): string => {
    const value = text(key) ?? fallbackRegion;
    if (value === undefined) {
      throw new ContextError(key, 'is required in the two-account layout (each stack names the other\'s ARNs, which include the Region); pass -c executionRegion=<region>');
    }
    if (!REGION.test(value)) throw new ContextError(key, `must be an AWS Region such as us-east-1, got ${JSON.stringify(value)}`);
    return value;
  };
  const executionApiId = text(K.executionApiId);
  if (executionApiId !== undefined && !API_ID.test(executionApiId)) {
    throw new ContextError(
      K.executionApiId,
      `must be the execution stack's ${EXECUTION_API_ID_OUTPUT} output (10 lower-case letters and digits), got ${JSON.stringify(executionApiId)}`,
    );
  }
  return {
    verification: { account: verification, region: region(K.verificationRegion) },
    execution: { account: execution, region: region(K.executionRegion) },
    executionApiId,
  };
}

/** The partition of a Region (`aws`, `aws-cn`, `aws-us-gov`), from the CDK's region facts. */
function partitionOf(region: string): string {
  return RegionInfo.get(region).partition ?? 'aws';
}

/** `arn:<partition>:iam::<verificationAccount>:role/slack-ai-app-verification-<region>`. */
export function verificationRoleArn(layout: CrossAccountLayout): string {
  const { account, region } = layout.verification;
  return `arn:${partitionOf(region)}:iam::${account}:role/${verificationRoleName(region)}`;
}

/** `arn:<partition>:lambda:<executionRegion>:<executionAccount>:function:slack-ai-app-execution`. */
export function executionFunctionArn(layout: CrossAccountLayout): string {
  const { account, region } = layout.execution;
  return `arn:${partitionOf(region)}:lambda:${region}:${account}:function:${EXECUTION_FUNCTION_NAME}`;
}

/** Exactly `POST /execute` on the `prod` stage of the execution API: `arn:…:execute-api:<region>:<account>:<id>/prod/POST/execute`. */
export function executeMethodArn(layout: CrossAccountLayout, apiId: string): string {
  const { account, region } = layout.execution;
  const prefix = executeApiArnPrefix({ region, accountId: account, apiId, partition: partitionOf(region) });
  return methodArn(prefix, EXECUTION_API_STAGE, EXECUTION_API_METHOD, EXECUTION_API_PATH);
}

/** The execution API's stage URL, `https://<id>.execute-api.<region>.<domain>/prod/` (the `ExecutionApiUrl` output). */
export function executionApiUrl(layout: CrossAccountLayout, apiId: string): string {
  const { region } = layout.execution;
  return `https://${apiId}.execute-api.${region}.${RegionInfo.get(region).domainSuffix ?? 'amazonaws.com'}/${EXECUTION_API_STAGE}/`;
}
