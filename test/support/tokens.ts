/**
 * Access tokens for tests: genuine ones signed with the development private
 * key (.run/keys, made by scripts/keys.sh), and every kind of forgery a
 * verifier must refuse.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@app/platform';
import { type CryptoKey, generateKeyPair, importPKCS8, SignJWT, UnsecuredJWT } from 'jose';
import { setting } from './env.js';

export interface TokenSubject {
  id: string;
  username: string;
}

export interface TokenOptions {
  issuer?: string;
  audience?: string;
  /** Seconds relative to now; negative for a token that already expired. */
  expiresIn?: number;
  /** Sign with this key instead of the development key. */
  key?: CryptoKey;
}

let devKey: Promise<CryptoKey> | undefined;

function developmentKey(): Promise<CryptoKey> {
  devKey ??= importPKCS8(readFileSync(setting('JWT_PRIVATE_KEY_FILE', '.run/keys/jwt-private.pem'), 'utf8'), TOKEN_ALGORITHM);
  return devKey;
}

export function publicKeyPem(): string {
  return readFileSync(setting('JWT_PUBLIC_KEY_FILE', '.run/keys/jwt-public.pem'), 'utf8');
}

const now = () => Math.floor(Date.now() / 1000);

function claims(subject: TokenSubject, options: TokenOptions) {
  const expiresIn = options.expiresIn ?? 900;
  return {
    payload: { preferred_username: subject.username },
    issuer: options.issuer ?? TOKEN_ISSUER,
    audience: options.audience ?? TOKEN_AUDIENCE,
    issuedAt: now() + Math.min(0, expiresIn) - 60,
    expiresAt: now() + expiresIn,
  };
}

/** A token shaped exactly like the users service's (ES256, same claims). */
export async function signToken(subject: TokenSubject, options: TokenOptions = {}): Promise<string> {
  const c = claims(subject, options);
  return new SignJWT(c.payload)
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT' })
    .setSubject(subject.id)
    .setIssuer(c.issuer)
    .setAudience(c.audience)
    .setIssuedAt(c.issuedAt)
    .setExpirationTime(c.expiresAt)
    .setJti(randomUUID())
    .sign(options.key ?? (await developmentKey()));
}

/** Same claims, signed by a key pair the system has never seen. */
export async function signWithForeignKey(subject: TokenSubject): Promise<string> {
  const { privateKey } = await generateKeyPair(TOKEN_ALGORITHM);
  return signToken(subject, { key: privateKey });
}

/** `alg: none`: no signature at all. */
export function unsignedToken(subject: TokenSubject): string {
  const c = claims(subject, {});
  return new UnsecuredJWT(c.payload).setSubject(subject.id).setIssuer(c.issuer).setAudience(c.audience).setIssuedAt(c.issuedAt).setExpirationTime(c.expiresAt).encode();
}

/** The classic algorithm confusion: HS256 with the (public) verification key as the HMAC secret. */
export async function hmacWithPublicKey(subject: TokenSubject): Promise<string> {
  const c = claims(subject, {});
  return new SignJWT(c.payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject.id)
    .setIssuer(c.issuer)
    .setAudience(c.audience)
    .setIssuedAt(c.issuedAt)
    .setExpirationTime(c.expiresAt)
    .sign(new TextEncoder().encode(publicKeyPem()));
}
