/**
 * Schemas of the payloads that cross this app's boundaries, built on `zod/mini` (small and quick to load, since
 * both Lambdas import this package):
 * - the {@link ExecutionRequest} handed from the verification layer to the execution layer (and the legacy
 *   `{channel, text, bot_token}` of the old direct-invoke path);
 * - the Slack Events API envelopes the verification layer accepts;
 * - the ExecutionRequest as a draft-04 JSON Schema, generated from the same zod schema, for the API Gateway model.
 *
 * @packageDocumentation
 */
import type { JsonSchemaDraft04 } from './json-schema-types';
import generatedExecutionRequestJsonSchema from './execution-request.schema.json';

export { PayloadValidationError } from './errors';
export type { ParseResult, PayloadIssue } from './errors';
export { MAX_TEXT_LENGTH } from './fields';
export { parseExecutionRequest, parseHandoffPayload } from './execution-request';
export type {
  ExecutionNotice,
  ExecutionRequest,
  HandoffPayload,
  LegacyExecutionRequest,
  NoticeKind,
} from './execution-request';
export { isAppMentionEvent, isMessageEvent, parseSlackEnvelope } from './slack-envelope';
export type {
  SlackAppMentionEvent,
  SlackAuthorization,
  SlackEdited,
  SlackEnvelope,
  SlackEvent,
  SlackEventCallback,
  SlackMessageEvent,
  SlackMessageLikeEvent,
  SlackOtherEvent,
  SlackUrlVerification,
} from './slack-envelope';
export type { JsonSchemaDraft04 } from './json-schema-types';

/**
 * The ExecutionRequest as a JSON Schema draft-04 document: the API Gateway request model, and the local stack's
 * validator. Generated from the zod schema by `scripts/generate-json-schema.ts` and committed; a test fails if it
 * is stale. Unknown properties are allowed, as in {@link parseExecutionRequest}.
 *
 * Plain data: a bundle that never references it does not include it (esbuild drops the unused JSON module).
 * Treat it as read-only; copy it (`structuredClone`) before changing anything.
 */
export const executionRequestJsonSchema: JsonSchemaDraft04 = generatedExecutionRequestJsonSchema;
