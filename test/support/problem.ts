import type { ApiResponse } from './api.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  errors?: { field: string; message: string }[];
}

/** Asserts an RFC 9457 problem answer (docs/api.md, "Errors") and returns its body. */
export function expectProblem(response: ApiResponse, status: number): ProblemBody {
  expect({ status: response.status, body: response.body }).toMatchObject({ status });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = response.body as ProblemBody;
  expect(body).toMatchObject({
    type: expect.stringMatching(/^https:\/\//),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    requestId: response.headers.get('x-request-id'),
  });
  return body;
}

/** The fields that a validation problem names. */
export function problemFields(body: ProblemBody): string[] {
  return [...new Set((body.errors ?? []).map((error) => error.field))].sort();
}
