import type { Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsText, Trim } from './text.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]+$/;
export const MAX_CURSOR_LENGTH = 200;

/** `?limit=&cursor=` of every list (docs/api.md, "Pagination"); the cursors themselves are in cursor.ts. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE, description: 'Page size.' })
  @IsOptional()
  // Plain decimal digits only: '0x10', '1e1' or ' 5' stay strings and fail @IsInt.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^[0-9]{1,4}$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'must be an integer from 1 to 100' })
  @Min(1, { message: 'must be an integer from 1 to 100' })
  @Max(MAX_PAGE_SIZE, { message: 'must be an integer from 1 to 100' })
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({ maxLength: MAX_CURSOR_LENGTH, pattern: CURSOR_PATTERN.source, description: 'Opaque `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  @Matches(CURSOR_PATTERN, { message: 'is not a valid cursor' })
  cursor?: string;
}

export class SearchQueryDto extends PageQueryDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'Search text: 1 to 200 characters after trimming.', example: 'ada' })
  @Trim()
  @IsString({ message: 'is required' })
  @IsText(1, 200, { message: 'must be 1 to 200 characters' })
  q!: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A documented `Page<T>` class (OpenAPI has no generics): one schema per item type. */
export function PageOf<T>(item: Class<T>, name: string): Class<Page<T>> {
  @ApiSchema({ name })
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: () => [item] })
    items!: T[];

    @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page; null on the last page.', example: 'eyJpIjoiNzQwMTIzNDU2Nzg5MDEyMzQ1NiJ9' })
    nextCursor!: string | null;
  }
  return PageOfItems;
}
