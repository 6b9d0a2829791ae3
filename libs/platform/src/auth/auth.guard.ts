import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors/error-codes.js';
import { currentContext } from '../logging/request-context.js';
import { type Caller, TokenVerifier } from './token-verifier.js';

/** How a route treats the caller's token. Routes without a mark require one. */
export type AuthMode = 'required' | 'optional' | 'none';
const AUTH_MODE = 'warble:auth-mode';

/** Works anonymously; a given token must still be valid and personalises the answer. */
export const OptionalAuth = () => SetMetadata(AUTH_MODE, 'optional' satisfies AuthMode);
/** Never looks at tokens (health, login, register, token refresh). */
export const Public = () => SetMetadata(AUTH_MODE, 'none' satisfies AuthMode);

type AuthenticatedRequest = FastifyRequest & { caller?: Caller };

/** The verified caller of an (auth) route, or undefined on an (opt-auth) route without a token. */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller | undefined => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
});

// The auth scheme name is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/**
 * Global guard of every app: verifies the bearer token itself, so a request
 * that reaches a service directly cannot act as someone else.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const mode = this.reflector.getAllAndOverride<AuthMode | undefined>(AUTH_MODE, [context.getHandler(), context.getClass()]) ?? 'required';
    if (mode === 'none') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (header === undefined) {
      if (mode === 'optional') return true;
      throw new DomainError('UNAUTHENTICATED', 'This route needs a bearer access token.');
    }
    const match = BEARER.exec(header);
    if (!match) throw new DomainError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <access token>".');
    request.caller = await this.verifier.verify(match[1]);
    // Visible to the database layer, which routes this caller's reads after their own writes to the primary.
    const requestContext = currentContext();
    if (requestContext) requestContext.callerId = request.caller.id;
    return true;
  }
}
