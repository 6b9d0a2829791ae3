import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config/config.js';

export const TOKEN_ISSUER = 'warble-users';
export const TOKEN_AUDIENCE = 'warble';

/** Every app verifies access tokens with the public key (inline PEM or a file); part of serviceEnv. */
export interface TokenVerificationEnv {
  JWT_PUBLIC_KEY?: string;
  JWT_PUBLIC_KEY_FILE?: string;
}

/** The users service also signs them with the private key. */
export const tokenSigningEnv = z.object({
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_PRIVATE_KEY_FILE: z.string().optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
});

export type TokenSigningEnv = z.infer<typeof tokenSigningEnv>;

/** Reads a PEM key given inline (`NAME`, `\n` escapes allowed) or as a file (`NAME_FILE`); fails naming the variable. */
export function resolvePem(name: string, inline: string | undefined, file: string | undefined): string {
  if (inline?.trim()) return inline.replace(/\\n/g, '\n');
  if (!file?.trim()) throw new ConfigError([`${name}: set ${name} or ${name}_FILE`]);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
}
