import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem.schema.js';

type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429;

const DEFAULT_DESCRIPTION: Record<ProblemStatus, string> = {
  400: 'Invalid input: `errors` names each invalid field (a body that is not JSON gets a problem without `errors`).',
  401: 'Missing, invalid or expired credentials.',
  403: 'The caller may not do this.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The request body exceeds 16 KiB.',
  415: 'The body is not JSON (`application/json` or `application/*+json`), or it has a `Content-Encoding` other than `identity`.',
  // Its Retry-After and X-RateLimit-* headers are added to every operation by configure-docs.ts.
  429: 'Too many requests; retry after `Retry-After` seconds.',
};

const problem = { $ref: getSchemaPath('Problem') };
// A 400 is a validation problem, or a plain one when the body could not be parsed.
const badRequest = { anyOf: [{ $ref: getSchemaPath('ValidationProblem') }, problem] };

/**
 * Documents the problem answers of a route, each as application/problem+json:
 * `@ApiProblems(400, [404, 'No such user.'])`.
 */
export function ApiProblems(...problems: (ProblemStatus | [ProblemStatus, string])[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...problems.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, DEFAULT_DESCRIPTION[entry]];
      return ApiResponse({
        status,
        description,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: status === 400 ? badRequest : problem } },
      });
    }),
  );
}

/** The failures every JSON body can meet before it reaches the route. */
export const ApiJsonBodyProblems = (): MethodDecorator & ClassDecorator => ApiProblems(400, 413, 415);
