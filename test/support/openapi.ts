/**
 * Checks real answers of the gateway against the OpenAPI 3.1 document it
 * serves: the status must be documented for the operation, the media type
 * declared, required headers present and the body valid against the declared
 * schema (JSON Schema 2020-12, checked with ajv).
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ApiResponse } from './api.js';

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; headers?: Record<string, HeaderSpec> };
}

export interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Json }[];
  requestBody?: { content: Record<string, { schema: Json }> };
  responses: Record<string, ResponseSpec>;
}

interface ResponseSpec {
  content?: Record<string, { schema: Json }>;
  headers?: Record<string, HeaderSpec | { $ref: string }>;
}

interface HeaderSpec {
  required?: boolean;
}

const SCHEMA_REF = '#/components/schemas/';

/** Rewrites OpenAPI component references to the `$defs` of one JSON Schema. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' ? value.replace(SCHEMA_REF, '#/$defs/') : rewriteRefs(value)]),
  );
}

export class OpenApiConformance {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true });
  private readonly defs: Record<string, unknown>;

  constructor(private readonly document: OpenApiDocument) {
    addFormats.default(this.ajv);
    // OpenAPI's own annotations: meaningless for validation, unknown to strict ajv.
    this.ajv.addVocabulary(['example']);
    this.ajv.addFormat('password', true);
    // Strict on purpose: a component that does not say otherwise may carry no
    // member the document does not declare, so an undocumented (or leaked)
    // field fails the check. Problem declares itself open (RFC 9457 extensions).
    this.defs = Object.fromEntries(
      Object.entries(document.components.schemas).map(([name, schema]) => [
        name,
        rewriteRefs(schema.properties && schema.additionalProperties === undefined ? { ...schema, additionalProperties: false } : schema),
      ]),
    );
  }

  operation(method: string, template: string): Operation {
    const operation = this.document.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${template} is not in the OpenAPI document`);
    return operation;
  }

  /** Validates `body` against a schema object of the document; returns ajv's errors (empty when valid). */
  validate(schema: Json, body: unknown): ErrorObject[] {
    const validate = this.ajv.compile({ ...(rewriteRefs(schema) as Json), $defs: this.defs });
    return validate(body) ? [] : (validate.errors ?? []);
  }

  /** Throws, naming every difference, unless `response` is what the document promises for it. */
  check(method: string, template: string, response: ApiResponse<unknown>): void {
    const where = `${method} ${template} → ${response.status}`;
    const spec = this.operation(method, template).responses[String(response.status)];
    if (!spec) throw new Error(`${where}: status not documented (body: ${JSON.stringify(response.body)})`);
    for (const [name, header] of Object.entries(spec.headers ?? {})) {
      const resolved = '$ref' in header ? this.document.components.headers?.[header.$ref.split('/').pop() ?? ''] : header;
      if (resolved?.required && !response.headers.has(name)) throw new Error(`${where}: required header ${name} is missing`);
    }
    if (!spec.content) {
      if (response.body !== undefined) throw new Error(`${where}: documented without a body, got ${JSON.stringify(response.body)}`);
      return;
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    const content = spec.content[mediaType];
    if (!content) throw new Error(`${where}: content type "${mediaType}" not documented (documented: ${Object.keys(spec.content).join(', ')})`);
    const errors = this.validate(content.schema, response.body);
    if (errors.length) throw new Error(`${where}: body does not match the document: ${this.ajv.errorsText(errors)}\nbody: ${JSON.stringify(response.body)}`);
  }
}
