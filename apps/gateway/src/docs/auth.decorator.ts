import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { type AuthMode, OptionalAuth, Public } from '@app/platform';
import { ApiProblems } from './api-problems.decorator.js';

/**
 * How a gateway route treats the caller's token, for the guard and the
 * OpenAPI document at once, so that the two cannot disagree.
 * required: (auth); optional: (opt-auth); none: never looks at tokens.
 */
export function Auth(mode: AuthMode): MethodDecorator {
  switch (mode) {
    case 'none':
      return Public();
    case 'optional':
      // `{}` first: anonymous calls are fine; a given token must be valid.
      return applyDecorators(OptionalAuth(), ApiSecurity({}), ApiBearerAuth(), ApiProblems([401, 'The given access token is invalid or expired.']));
    case 'required':
      // The guard requires a token unless a route says otherwise.
      return applyDecorators(ApiBearerAuth(), ApiProblems([401, 'Missing, invalid or expired access token.']));
  }
}
