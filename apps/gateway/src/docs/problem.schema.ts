import { ErrorCatalog } from '@app/platform';
import { getSchemaPath, type SchemaObject } from '@nestjs/swagger';

/*
 * RFC 9457 problem details as plain schema objects: the shape is owned by
 * libs/platform (ProblemDetails), which has no swagger classes, and the
 * `code` enum follows the error catalog by itself.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const FieldError: SchemaObject = {
  type: 'object',
  required: ['field', 'message'],
  properties: {
    field: { type: 'string', description: 'Dotted path of the offending field or query parameter.', example: 'email' },
    message: { type: 'string', example: 'must be a valid email address' },
  },
};

const Problem: SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details. Clients must ignore members they do not know (RFC 9457 §3.2).',
  required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'Stable URI of the problem type.', example: 'https://warble.dev/problems/user-not-found' },
    title: { type: 'string', description: 'Short summary of the problem type.', example: 'User not found' },
    status: { type: 'integer', minimum: 400, maximum: 599, example: 404 },
    detail: { type: 'string', description: 'What went wrong with this request.', example: 'No such user.' },
    code: { type: 'string', enum: Object.keys(ErrorCatalog), description: 'Stable machine-readable error code.', example: 'USER_NOT_FOUND' },
    requestId: { type: 'string', description: 'Same as the `X-Request-Id` response header.', example: '3f2c1e9a-5b7d-4c8e-9a1b-2d3e4f5a6b7c' },
    errors: { type: 'array', items: { $ref: getSchemaPath('FieldError') } },
  },
  additionalProperties: true,
};

const ValidationProblem: SchemaObject = {
  description: 'A 400 problem that names every invalid field.',
  allOf: [
    { $ref: getSchemaPath('Problem') },
    {
      type: 'object',
      required: ['errors'],
      properties: {
        status: { type: 'integer', enum: [400] },
        code: { type: 'string', enum: ['VALIDATION_FAILED'] },
        errors: { type: 'array', minItems: 1, items: { $ref: getSchemaPath('FieldError') } },
      },
    },
  ],
};

export const PROBLEM_SCHEMAS: Record<string, SchemaObject> = { FieldError, Problem, ValidationProblem };
