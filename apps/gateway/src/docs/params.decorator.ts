import { ApiParam } from '@nestjs/swagger';
import { SNOWFLAKE_ID_PATTERN, USERNAME_PATTERN } from '@app/api';

/** An `{id}` path parameter: a Snowflake id as a decimal string (anything else: 400). */
export const ApiIdParam = (description: string): MethodDecorator =>
  ApiParam({ name: 'id', description: `${description} A decimal string; anything else is a \`400\`.`, schema: { type: 'string', pattern: SNOWFLAKE_ID_PATTERN, examples: ['7401234567890123456'] } });

/** A `{username}` path parameter, matched case-insensitively. */
export const ApiUsernameParam = (): MethodDecorator =>
  ApiParam({ name: 'username', description: 'Matched case-insensitively.', schema: { type: 'string', pattern: USERNAME_PATTERN.source, examples: ['ada_l'] } });
