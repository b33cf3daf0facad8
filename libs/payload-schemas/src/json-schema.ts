import { toJSONSchema } from 'zod/mini';
import { executionRequestSchema } from './execution-request';
import type { JsonSchemaDraft04 } from './json-schema-types';

/*
 * Generator of the ExecutionRequest JSON Schema (draft-04, the dialect of API Gateway models).
 *
 * Not exported from index.ts on purpose: it pulls zod's JSON Schema code, which the Lambdas must not bundle. The
 * script `scripts/generate-json-schema.ts` writes its output to `src/execution-request.schema.json`, which
 * index.ts exports as plain data; a test fails when that file is stale.
 */

/** JSON Schema draft-04 meta-schema URI, as API Gateway expects in `$schema`. */
export const DRAFT_04_URI = 'http://json-schema.org/draft-04/schema#';

/** Documentation for each ExecutionRequest property, emitted as `description`. Every property must have one. */
const PROPERTY_DESCRIPTIONS: Readonly<Record<string, string>> = {
  channel: 'Slack channel id to reply in.',
  text: "The user's message with the app mention removed; 0 to 4000 code points. May be empty when notice is set.",
  user_id: 'Slack user id of the author.',
  team_id: 'Slack workspace id.',
  event_id: 'Slack event_id; the idempotency key.',
  correlation_id: "Correlation id that follows the request through both Lambdas' logs.",
  thread_ts: "The event's thread_ts, present only when the message is inside a thread.",
  message_ts: "The user's message ts (reactions; thread root when thread_ts is absent).",
  response_url: 'Slack response_url (https).',
  notice: 'A notice to post as is, without calling the model (text empty or over 4000 characters).',
  bot_token: 'Deprecated: legacy direct-invoke payloads only. Never required and never logged.',
};

/**
 * Builds the draft-04 JSON Schema of an ExecutionRequest from the same zod schema the Lambdas parse with.
 *
 * Unknown properties are allowed (no `additionalProperties`), matching the zod schema, which accepts and drops
 * them. No `$ref` or `definitions` are emitted, so API Gateway can use the document as a model unchanged.
 *
 * @returns a fresh object with keys in a stable order (`$schema`, `title`, `description`, `type`, `properties`,
 *   `required`), so its `JSON.stringify` output is reproducible.
 * @throws Error if a property lacks a description, or if zod emits a keyword outside draft-04's subset used here.
 */
export function generateExecutionRequestJsonSchema(): JsonSchemaDraft04 {
  const generated = toJSONSchema(executionRequestSchema, {
    target: 'draft-04',
    io: 'input',
    unrepresentable: 'throw',
    cycles: 'throw',
    reused: 'inline',
  }) as JsonSchemaDraft04;
  assertDraft04Subset(generated, '#');

  const properties: Record<string, JsonSchemaDraft04> = {};
  for (const [name, schema] of Object.entries(generated.properties ?? {})) {
    const description = PROPERTY_DESCRIPTIONS[name];
    if (description === undefined) throw new Error(`ExecutionRequest property "${name}" has no description`);
    properties[name] = { description, ...schema };
  }
  for (const name of Object.keys(PROPERTY_DESCRIPTIONS)) {
    if (!(name in properties)) throw new Error(`description given for unknown ExecutionRequest property "${name}"`);
  }

  return {
    $schema: DRAFT_04_URI,
    title: 'ExecutionRequest',
    description:
      'Work handed from the verification Lambda to the execution Lambda. Unknown properties are accepted and ignored.',
    type: 'object',
    properties,
    required: generated.required ?? [],
  };
}

/** Keywords allowed in the generated document; anything else means the zod schema grew a construct to review. */
const ALLOWED_KEYWORDS = new Set([
  '$schema',
  'type',
  'properties',
  'required',
  'enum',
  'minLength',
  'maxLength',
  'pattern',
]);

function assertDraft04Subset(schema: JsonSchemaDraft04, at: string): void {
  for (const keyword of Object.keys(schema)) {
    if (!ALLOWED_KEYWORDS.has(keyword)) throw new Error(`unexpected JSON Schema keyword "${keyword}" at ${at}`);
  }
  if (at === '#' && schema.$schema !== DRAFT_04_URI) throw new Error(`expected $schema ${DRAFT_04_URI} at ${at}`);
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    assertDraft04Subset(child, `${at}/properties/${name}`);
  }
}
