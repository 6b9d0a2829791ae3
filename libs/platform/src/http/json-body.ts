import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/error-codes.js';

/**
 * JSON bodies only, and only valid UTF-8: a body with broken bytes is a 400
 * instead of silently becoming U+FFFD. Parsing itself stays Fastify's
 * (it refuses __proto__ and constructor.prototype keys).
 */
export function installJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(new DomainError('MALFORMED_REQUEST', 'The request body is not valid UTF-8.'), undefined);
      return;
    }
    void parseJson(request, bytes.toString('utf8'), done);
  });
}
