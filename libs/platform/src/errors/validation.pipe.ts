import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldError } from './error-codes.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Global validation: unknown fields are rejected, and failures become a 400
 * problem that names each field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      return new DomainError('VALIDATION_FAILED', `Invalid field(s): ${[...new Set(fieldErrors.map((e) => e.field))].join(', ')}`, fieldErrors);
    },
  });
}
