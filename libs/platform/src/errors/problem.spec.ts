import { NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { DomainError } from './error-codes.js';
import { toProblem } from './problem.js';

describe('toProblem', () => {
  it('maps a domain error to its status, title and message', () => {
    const problem = toProblem(new DomainError('USERNAME_TAKEN', 'Username "bob" is taken'), 'req-1');
    expect(problem).toMatchObject({ status: 409, code: 'USERNAME_TAKEN', detail: 'Username "bob" is taken', requestId: 'req-1' });
    expect(problem.type).toBe('https://warble.dev/problems/username-taken');
  });

  it('keeps field errors of a validation failure', () => {
    const problem = toProblem(new DomainError('VALIDATION_FAILED', 'bad', [{ field: 'email', message: 'must be an email' }]));
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([{ field: 'email', message: 'must be an email' }]);
  });

  it('maps framework errors by status without leaking their text', () => {
    expect(toProblem(new NotFoundException('Cannot GET /secret/internal')).detail).not.toContain('secret');
    expect(toProblem(new PayloadTooLargeException()).status).toBe(413);
    expect(toProblem({ statusCode: 415, message: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }).status).toBe(415);
  });

  it('hides unexpected errors behind a generic 500', () => {
    const problem = toProblem(new Error('relation "users.secret" does not exist at db.internal:5432'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toMatch(/secret|db\.internal/);
  });
});
