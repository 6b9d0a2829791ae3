import { Transform } from 'class-transformer';
import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';

/** Length in Unicode code points, as the API contract counts text. */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

// C0/C1 control characters other than tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

/** Trims surrounding white space of string input before validation. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}

/**
 * A string of `min..max` code points (after trimming) with no control
 * characters; `allowNewlines` keeps line breaks legal in free text.
 */
export function IsText(min: number, max: number, options: ValidationOptions & { allowNewlines?: boolean } = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `must be text of ${min} to ${max} characters without control characters`, ...options },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string' || !value.isWellFormed()) return false;
          if (CONTROL_CHARACTERS.test(value)) return false;
          if (!options.allowNewlines && /[\r\n\t]/.test(value)) return false;
          const length = codePointLength(value);
          return length >= min && length <= max;
        },
      },
    });
  };
}

// Code points that draw nothing by themselves: white space, controls, format
// characters (Cf: zero-width space and joiners, word joiner, BOM, bidi and tag
// characters), combining marks (which need a base), the other default-ignorable
// code points (variation selectors, Hangul fillers) and the blank Braille
// pattern, a well-known "empty name" trick. Unassigned code points count as
// visible, so emoji newer than this runtime's Unicode tables stay allowed.
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** True when `value` shows something: at least one code point outside the invisible classes above. */
export function hasVisibleText(value: string): boolean {
  return VISIBLE.test(value);
}

/**
 * Text that must show something (docs/api.md, "Basics"): names, posts and
 * comments made only of invisible characters are refused. Used by the DTOs
 * that the gateway and the owning services validate alike.
 */
export function IsVisibleText(options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isVisibleText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must contain at least one visible character', ...options },
      validator: {
        validate: (value: unknown): boolean => typeof value === 'string' && hasVisibleText(value),
      },
    });
  };
}

/** Optional field: may be left out, but `null` is not a value (unlike @IsOptional). */
export function IfPresent(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
