/** Name of the unique constraint a Postgres error violated, if that is what it is. */
export function uniqueViolation(error: unknown): string | undefined {
  const pg = (error as { driverError?: { code?: string; constraint?: string }; code?: string; constraint?: string }) ?? {};
  const source = pg.driverError ?? pg;
  return source.code === '23505' ? (source.constraint ?? '') : undefined;
}
