/**
 * The subset of a JSON Schema draft-04 document this package emits: what API Gateway models and ajv both read.
 * Properties are optional so that nested schemas fit the same type.
 */
export interface JsonSchemaDraft04 {
  $schema?: string;
  title?: string;
  description?: string;
  type?: string;
  properties?: { [name: string]: JsonSchemaDraft04 };
  required?: string[];
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}
