import type { z } from 'zod';

export type JsonSettingsResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Parses the text of a JSON settings file that an app reloads while it runs
 * (experiment definitions, canary upstreams) against its schema: the value,
 * or every problem with the path it is at, so that a bad edit is logged and
 * the settings applied before stay.
 */
export function parseJsonSettings<S extends z.ZodType>(schema: S, text: string): JsonSettingsResult<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`not JSON: ${(error as Error).message}`] };
  }
  const result = schema.safeParse(json);
  if (!result.success) return { ok: false, problems: result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`) };
  return { ok: true, value: result.data };
}
