import { IsInt, IsOptional, Max } from 'class-validator';
import { Transform } from 'class-transformer';
import { createValidationPipe } from './validation.pipe.js';

class LimitQuery {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Max(100)
  limit: number = 20;
}

describe('validation pipe', () => {
  const pipe = createValidationPipe();
  const query = { type: 'query' as const, metatype: LimitQuery, data: undefined };

  it('turns a valid query into the DTO, the same the second time, as a separate object', async () => {
    const first = (await pipe.transform({ limit: '7' }, query)) as LimitQuery;
    const second = (await pipe.transform({ limit: '7' }, query)) as LimitQuery;
    expect(first).toBeInstanceOf(LimitQuery);
    expect(second).toBeInstanceOf(LimitQuery);
    expect(second.limit).toBe(7);
    expect(second).not.toBe(first);
    second.limit = 99;
    expect(((await pipe.transform({ limit: '7' }, query)) as LimitQuery).limit).toBe(7);
  });

  it('refuses an invalid query every time, naming the field', async () => {
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ limit: '500' }, query)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', fieldErrors: [{ field: 'limit' }] });
      await expect(pipe.transform({ limit: '7', extra: 'x' }, query)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('validates bodies each time (nothing remembered)', async () => {
    const body = { type: 'body' as const, metatype: LimitQuery, data: undefined };
    await expect(pipe.transform({ limit: 5 }, body)).resolves.toMatchObject({ limit: 5 });
    await expect(pipe.transform({ limit: 500 }, body)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
