import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/error-codes.js';
import { exceedsJsonDepth, findUnsafeText, MAX_JSON_DEPTH } from './input-screen.js';

/**
 * `application/json` and every `application/<x>+json` (RFC 6839: problem+json,
 * merge-patch+json, ...), with or without parameters such as charset.
 */
export const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json(?:\s*;|$)/i;

/**
 * JSON bodies only, and only valid UTF-8: a body with broken bytes is a 400
 * instead of silently becoming U+FFFD. Parsing itself stays Fastify's (it
 * refuses __proto__ and constructor.prototype keys). Before the value
 * reaches validation (docs/api.md, "Hostile input"):
 * - an empty body is no body (routes that take none accept it; routes that
 *   take one refuse it in the validation pipe);
 * - nesting deeper than MAX_JSON_DEPTH is refused before parsing, so that
 *   no recursive code (class-transformer, class-validator) meets it;
 * - a NUL or a lone surrogate in any key or string is a 400 naming the field.
 */
export function installJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const bytes = body as Buffer;
    if (bytes.length === 0) {
      done(null, undefined);
      return;
    }
    if (!isUtf8(bytes)) {
      done(new DomainError('MALFORMED_REQUEST', 'The request body is not valid UTF-8.'), undefined);
      return;
    }
    const text = bytes.toString('utf8');
    if (exceedsJsonDepth(text)) {
      done(new DomainError('MALFORMED_REQUEST', `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
      return;
    }
    void parseJson(request, text, (error, value) => {
      if (error) {
        done(error, undefined);
        return;
      }
      const field = findUnsafeText(value);
      if (field !== undefined) {
        done(unsafeTextError(field), undefined);
        return;
      }
      done(null, value);
    });
  });
}

/** A 400 naming a field or parameter that holds NUL or a lone surrogate. */
export function unsafeTextError(field: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `Invalid field(s): ${field}`, [
    { field, message: 'must not contain NUL (U+0000) or unpaired surrogate characters' },
  ]);
}
