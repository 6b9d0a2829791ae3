import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { BoundedCache } from '../cache/bounded-cache.js';
import { DomainError, type FieldError } from './error-codes.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Valid queries remembered per DTO class; a query is a handful of short strings. */
const QUERIES_REMEMBERED = 1_000;

/**
 * The query strings of hot reads repeat endlessly (`?limit=20`), and
 * class-transformer plus class-validator cost a visible share of such a
 * read. Query DTOs are pure functions of the query (no async or stateful
 * validators), so a query that passed once is answered from memory, as a
 * fresh shallow copy. Failures are not remembered: they take the normal path
 * and get a fresh problem each time. Bodies are never remembered.
 */
class ValidationPipeWithQueryMemory extends ValidationPipe {
  /** One cache per DTO class (there are a handful of classes, so this map stays small). */
  private readonly validQueries = new Map<unknown, BoundedCache<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.data === undefined && !isJsonObject(value)) throw bodyMustBeAnObject();
    if (metadata.type !== 'query' || !metadata.metatype || !this.toValidate(metadata)) return super.transform(value, metadata);
    let remembered = this.validQueries.get(metadata.metatype);
    if (!remembered) this.validQueries.set(metadata.metatype, (remembered = new BoundedCache({ name: 'valid-queries', maxEntries: QUERIES_REMEMBERED })));
    const key = JSON.stringify(value);
    const known = remembered.get(key);
    if (known) return copyOf(known);
    const validated = (await super.transform(value, metadata)) as object;
    remembered.set(key, validated);
    return copyOf(validated);
  }
}

/**
 * An empty body is no body (http/json-body.ts). On a route that takes a whole
 * body, no body, or a JSON value that is not an object (`null`, `3`, `[]`), is
 * a 400 naming `body` before validation, which would let it through as "no
 * fields given" (docs/api.md, "Request bodies"). Checked here, where only
 * routes with a body parameter pay for it.
 */
const isJsonObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);
const bodyMustBeAnObject = () => new DomainError('VALIDATION_FAILED', 'Invalid field(s): body', [{ field: 'body', message: 'must be a JSON object' }]);

const copyOf = (instance: object): object => Object.assign(Object.create(Object.getPrototypeOf(instance) as object | null) as object, instance);

/**
 * Global validation: unknown fields are rejected, and failures become a 400
 * problem that names each field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipeWithQueryMemory({
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
