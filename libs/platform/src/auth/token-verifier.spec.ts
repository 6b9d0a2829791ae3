import { jest } from '@jest/globals';
import { type CryptoKey, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { TOKEN_ALGORITHM, TokenVerifier } from './token-verifier.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './auth-config.js';

describe('TokenVerifier', () => {
  const now = () => Math.floor(Date.now() / 1000);
  let signer: CryptoKey;
  let verifier: TokenVerifier;
  let otherSigner: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
    signer = pair.privateKey;
    otherSigner = (await generateKeyPair(TOKEN_ALGORITHM)).privateKey;
    verifier = new TokenVerifier({ JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey) });
  });

  const token = (key: CryptoKey, exp: number) =>
    new SignJWT({ preferred_username: 'ada' })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM })
      .setSubject('7401234567890123456')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(exp - 900)
      .setExpirationTime(exp)
      .sign(key);

  it('accepts a valid token and names the caller', async () => {
    await expect(verifier.verify(await token(signer, now() + 600))).resolves.toEqual({ id: '7401234567890123456', username: 'ada' });
  });

  it('refuses an expired token', async () => {
    await expect(verifier.verify(await token(signer, now() - 5))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a token signed with another key, expired or not', async () => {
    await expect(verifier.verify(await token(otherSigner, now() + 600))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifier.verify(await token(otherSigner, now() - 5))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('answers a verified token from memory only until it expires', async () => {
    const exp = now() + 60;
    const valid = await token(signer, exp);
    await expect(verifier.verify(valid)).resolves.toMatchObject({ username: 'ada' });
    const clock = jest.spyOn(Date, 'now').mockReturnValue(exp * 1000 + 1);
    try {
      await expect(verifier.verify(valid)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      clock.mockRestore();
    }
  });

  it('refuses garbage', async () => {
    await expect(verifier.verify('not.a.token')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
