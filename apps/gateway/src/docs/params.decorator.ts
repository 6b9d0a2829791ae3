import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiQuery } from '@nestjs/swagger';
import { CURSOR_PATTERN, DEFAULT_PAGE_SIZE, MAX_CURSOR_LENGTH, MAX_PAGE_SIZE, SNOWFLAKE_ID_PATTERN, USERNAME_PATTERN } from '@app/api';

/** An `{id}` path parameter: a Snowflake id as a decimal string (anything else: 400). */
export const ApiIdParam = (description: string): MethodDecorator =>
  ApiParam({ name: 'id', description: `${description} A decimal string; anything else is a \`400\`.`, schema: { type: 'string', pattern: SNOWFLAKE_ID_PATTERN, examples: ['7401234567890123456'] } });

/** A `{username}` path parameter, matched case-insensitively. */
export const ApiUsernameParam = (): MethodDecorator =>
  ApiParam({ name: 'username', description: 'Matched case-insensitively.', schema: { type: 'string', pattern: USERNAME_PATTERN.source, examples: ['ada_l'] } });

/**
 * `?limit=&cursor=` documented as PageQueryDto documents them, for relayed
 * routes whose query the service validates (see RawQuery).
 */
export const ApiPageQuery = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 'limit', required: false, description: 'Page size.', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } }),
    ApiQuery({ name: 'cursor', required: false, description: 'Opaque `nextCursor` of the previous page.', schema: { type: 'string', maxLength: MAX_CURSOR_LENGTH, pattern: CURSOR_PATTERN.source } }),
  );
