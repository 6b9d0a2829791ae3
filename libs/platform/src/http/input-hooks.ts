import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/error-codes.js';
import { findUnsafeParameter } from './input-screen.js';
import { unsafeTextError } from './json-body.js';

/** Content codings a body may arrive in: none is decoded, so only the absence of one. */
const ACCEPTED_CODINGS = new Set(['', 'identity']);

/**
 * Request checks of every app that run before any handler (docs/api.md,
 * "Hostile input"). They run after all onRequest hooks, so that a refusal
 * carries the request id and the security headers like every other answer.
 * - A body in a content coding the server does not decode (gzip, br, ...) is a
 *   415 with `Accept-Encoding: identity`, instead of gzip bytes read as JSON.
 * - A path or query parameter with NUL or a lone surrogate is a 400 naming
 *   the parameter (Postgres refuses NUL in text; the same on every app).
 */
export function installInputHooks(fastify: FastifyInstance): void {
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    const coding = request.headers['content-encoding'];
    if (coding !== undefined && !ACCEPTED_CODINGS.has(coding.trim().toLowerCase())) {
      void reply.header('accept-encoding', 'identity');
      done(new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Content-Encoding is not supported: send the body uncompressed (identity).'));
      return;
    }
    done(null, payload);
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    const parameter = findUnsafeParameter(request.params) ?? findUnsafeParameter(request.query);
    done(parameter === undefined ? undefined : unsafeTextError(parameter));
  });
}
