import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/error-codes.js';
import { isSnowflakeId } from '../ids/snowflake.js';

/** Validates an `:id` path parameter as a Snowflake id; a malformed id is a 400 naming the field. */
@Injectable()
export class SnowflakeIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (!isSnowflakeId(value)) {
      throw new DomainError('VALIDATION_FAILED', 'Invalid field(s): id', [{ field: 'id', message: 'must be a decimal id string' }]);
    }
    return value;
  }
}
