import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../constants';
import type { FaultController } from '../faults';
import type { HttpReply, HttpRequestData } from '../http/types';
import { unanswered, headerValue } from '../http/types';
import type { AuthorizationResult } from '@slack-ai-app/aws-emulation';
import { deniedBecause } from '../iam/authorization';
import type { LocalPrincipal } from '../iam/principals';
import { awsJsonError } from './errors';

/** One local secret. */
export interface LocalSecret {
  readonly name: string;
  /** `arn:aws:secretsmanager:us-east-1:000000000000:secret:<name>-<6 chars>` */
  readonly arn: string;
  readonly versionId: string;
  readonly createdDate: Date;
  /** The value; never printed except the documented local defaults. */
  readonly secretString: string;
}

/** The secrets the stack serves, through the Secrets Manager API and the secrets extension alike. */
export class SecretStore {
  private readonly secrets = new Map<string, LocalSecret>();

  constructor(private readonly now: () => Date) {}

  /**
   * Creates or rotates a secret (a new version id each time).
   *
   * @param name - the secret name, as the template names it
   * @param secretString - the value
   * @param arn - its ARN when first created (default: {@link localSecretArn} in the local account)
   * @returns the stored secret
   */
  put(name: string, secretString: string, arn?: string): LocalSecret {
    const existing = this.secrets.get(name);
    const secret: LocalSecret = {
      name,
      arn: existing?.arn ?? arn ?? localSecretArn(name),
      versionId: randomUUID(),
      createdDate: existing?.createdDate ?? this.now(),
      secretString,
    };
    this.secrets.set(name, secret);
    return secret;
  }

  /**
   * Finds a secret by name, full ARN, or partial ARN (the ARN without its 6-character suffix), as `SecretId` allows.
   *
   * @param secretId - the `SecretId`
   */
  resolve(secretId: string): LocalSecret | undefined {
    for (const secret of this.secrets.values()) {
      if (secretId === secret.name || secretId === secret.arn || secretId === secret.arn.slice(0, -7)) return secret;
    }
    return undefined;
  }
}

/**
 * The ARN Secrets Manager gives a secret of this name in the local account: the name and a 6-character suffix
 * (random in AWS; derived from the name here, so ARNs are stable from run to run).
 *
 * @param name - the secret name
 * @param accountId - the account that owns it
 */
export function localSecretArn(name: string, accountId: string = LOCAL_ACCOUNT_ID): string {
  return `arn:aws:secretsmanager:${LOCAL_REGION}:${accountId}:secret:${name}-${suffixOf(name)}`;
}

/** Deterministic 6-character suffix (real ones are random; a stable one keeps documented ARNs stable). */
function suffixOf(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash.toString(36).padStart(6, '0').slice(-6).replace(/^./, (c) => c.toUpperCase());
}

/** The GetSecretValue response, as Secrets Manager sends it (`CreatedDate` in epoch seconds). */
export function getSecretValueResponse(secret: LocalSecret): Record<string, unknown> {
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: secret.versionId,
    SecretString: secret.secretString,
    VersionStages: ['AWSCURRENT'],
    CreatedDate: secret.createdDate.getTime() / 1000,
  };
}

const NOT_FOUND = "Secrets Manager can't find the specified secret.";
const GET_SECRET_VALUE = 'secretsmanager:GetSecretValue';

/** Decides whether a caller may perform a Secrets Manager action on a secret (its identity and the secret's policy). */
export type SecretsAuthorizer = (principal: LocalPrincipal, action: string, secretArn: string) => AuthorizationResult;

/**
 * Creates the Secrets Manager handler (awsJson1.1: `POST /` with `X-Amz-Target: secretsmanager.<Operation>`). Only
 * GetSecretValue exists locally. The caller has authenticated the request; IAM is checked here, before the secret is
 * looked up, as AWS does (a caller without permission gets AccessDeniedException even for a missing secret).
 *
 * @param store - the secrets
 * @param faults - fault switchboard (`secretsManager`)
 * @param authorizeAction - the IAM decision for the caller
 */
export function createSecretsManagerHandler(
  store: SecretStore,
  faults: FaultController,
  authorizeAction: SecretsAuthorizer,
): (request: HttpRequestData, principal: LocalPrincipal) => Promise<HttpReply> {
  return async (request, principal) => {
    const target = headerValue(request.headers, 'x-amz-target') ?? '';
    if (request.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
      return awsJsonError(400, 'UnknownOperationException', `The local stack emulates only secretsmanager.GetSecretValue, not ${target || 'an unnamed operation'}.`);
    }
    const fault = faults.take('secretsManager');
    if (fault !== undefined) {
      if (fault.mode !== 'status') return unanswered(fault.mode);
      return fault.status >= 500
        ? awsJsonError(fault.status, 'InternalServiceError', 'An error occurred on the server side (injected by the local stack).')
        : awsJsonError(fault.status, 'ThrottlingException', 'Rate exceeded');
    }
    let input: { SecretId?: unknown; VersionId?: unknown; VersionStage?: unknown };
    try {
      input = JSON.parse(request.body.toString('utf8') || '{}') as typeof input;
    } catch {
      return awsJsonError(400, 'SerializationException', 'Start of structure or map found where not expected.');
    }
    if (typeof input.SecretId !== 'string' || input.SecretId === '') {
      return awsJsonError(400, 'ValidationException', "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
    }
    const secret = store.resolve(input.SecretId);
    const resource = secret?.arn ?? (input.SecretId.startsWith('arn:') ? input.SecretId : `${localSecretArn(input.SecretId).slice(0, -7)}`);
    const decision = authorizeAction(principal, GET_SECRET_VALUE, resource);
    if (decision.decision !== 'allow') {
      // 400 AccessDeniedException; the message names the caller's session and the SecretId as given (e.g.
      // mongodb/awscdk-resources-mongodbatlas#207, amzn/selling-partner-api-samples#76).
      return awsJsonError(400, 'AccessDeniedException', `User: ${principal.callerArn} is not authorized to perform: ${GET_SECRET_VALUE} on resource: ${input.SecretId} ${deniedBecause(decision, GET_SECRET_VALUE, 'identity-based')}`);
    }
    if (secret === undefined) return awsJsonError(400, 'ResourceNotFoundException', NOT_FOUND);
    if (input.VersionStage !== undefined && input.VersionStage !== 'AWSCURRENT') {
      return awsJsonError(400, 'ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${String(input.VersionStage)}`);
    }
    if (input.VersionId !== undefined && input.VersionId !== secret.versionId) {
      return awsJsonError(400, 'ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${String(input.VersionId)}`);
    }
    return {
      kind: 'respond',
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() },
      body: JSON.stringify(getSecretValueResponse(secret)),
    };
  };
}
