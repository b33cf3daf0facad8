import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SLACK_IDS, type LocalPrincipal, type LocalStack } from '@slack-ai-app/local-stack';
import type { ExecutionRequest } from '@slack-ai-app/payload-schemas';
import { RequestSigner, postSignedJson, type SignableRequest, type SignedJsonResponse, type SignedRequest } from '@slack-ai-app/signing';
import { recordSentCredential } from './collector';

/**
 * The two ways into the execution layer, driven with the product's own clients: `postSignedJson` from libs/signing
 * to the execution API (as the verification function calls it), and `@aws-sdk/client-lambda` `InvokeCommand` with
 * `InvocationType: 'Event'` (the direct path and a dead-letter redrive).
 */

/** Static credentials of a local principal, as an SDK provider. */
export function credentialsOf(principal: LocalPrincipal) {
  return async () => ({
    accessKeyId: principal.accessKeyId,
    secretAccessKey: principal.secretAccessKey,
    ...(principal.sessionToken === undefined ? {} : { sessionToken: principal.sessionToken }),
  });
}

/**
 * A new, valid ExecutionRequest for a message the user posted in the local workspace (so that reactions and the reply
 * thread exist).
 *
 * @param stack - the stack
 * @param text - the question
 * @param eventId - the Slack event id to use
 */
export function newExecutionRequest(stack: LocalStack, text: string, eventId: string): ExecutionRequest {
  const channel = SLACK_IDS.channelId;
  const message = stack.slack.workspace.postUserMessage({ channel, user: SLACK_IDS.userId, text: `<@${SLACK_IDS.botUserId}> ${text}` });
  return { channel, text, user_id: SLACK_IDS.userId, team_id: SLACK_IDS.teamId, event_id: eventId, correlation_id: `corr-${eventId}`, message_ts: message.ts };
}

/** The workspace's signer, recording each `Authorization` value it produces for the secrets scan. */
export class RecordingSigner extends RequestSigner {
  override async sign(request: SignableRequest, options?: { signingDate?: Date }): Promise<SignedRequest> {
    const signed = await super.sign(request, options);
    const authorization = signed.headers['authorization'];
    if (authorization !== undefined) recordSentCredential('authorization', authorization);
    return signed;
  }
}

/**
 * Posts a payload to the execution API, signed as the given principal (the verification role by default).
 *
 * @param stack - the stack
 * @param body - the JSON body
 * @param principal - whose keys sign
 */
export async function postToExecutionApi(stack: LocalStack, body: unknown, principal: LocalPrincipal = stack.credentials.principals.verification): Promise<SignedJsonResponse> {
  const signer = new RecordingSigner({ service: 'execute-api', region: stack.credentials.region, credentials: credentialsOf(principal) });
  return postSignedJson({ url: stack.urls.executeApi, body, signer, timeoutMs: 10_000 });
}

/**
 * Invokes the execution function asynchronously through the local Lambda Invoke API (`InvocationType: 'Event'`),
 * with the verification role's credentials, exactly as the direct path does.
 *
 * @param stack - the stack
 * @param payload - the event
 * @returns the StatusCode Lambda answered (202)
 */
export async function invokeExecutionAsync(stack: LocalStack, payload: unknown): Promise<number | undefined> {
  const client = new LambdaClient({
    region: stack.credentials.region,
    endpoint: stack.urls.aws,
    credentials: credentialsOf(stack.credentials.principals.verification),
    maxAttempts: 1,
  });
  // The innermost step sees the signed request: record its Authorization value for the secrets scan.
  client.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
      if (headers['authorization'] !== undefined) recordSentCredential('authorization', headers['authorization']);
      return next(args);
    },
    { step: 'deserialize', name: 'recordSentAuthorization' },
  );
  try {
    const response = await client.send(
      new InvokeCommand({ FunctionName: stack.functions.execution.name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload), 'utf8') }),
    );
    return response.StatusCode;
  } finally {
    client.destroy();
  }
}
