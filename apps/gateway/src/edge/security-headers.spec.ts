import Fastify from 'fastify';
import { helmetHeaders, installSecurityHeaders } from './security-headers.js';

describe('security headers', () => {
  const api = helmetHeaders({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"] } } });
  const docs = helmetHeaders({ contentSecurityPolicy: { useDefaults: true } });

  it('computes what helmet would set, once', () => {
    expect(api['content-security-policy']).toBe("default-src 'none'");
    expect(api['x-content-type-options']).toBe('nosniff');
    expect(api['strict-transport-security']).toMatch(/max-age=\d+/);
    // helmet removes this header rather than setting it
    expect(api['x-powered-by']).toBeUndefined();
    expect(docs['content-security-policy']).toContain("script-src 'self'");
  });

  it('sends the docs set under the docs prefix and the API set everywhere else', async () => {
    const app = Fastify();
    installSecurityHeaders(app, { api, docs, docsPrefix: '/docs' });
    app.get('/docs/page', () => 'ui');
    app.get('/api/thing', () => ({ ok: true }));
    const [docsPage, apiRoute, unknown] = await Promise.all(['/docs/page', '/api/thing', '/nowhere'].map((url) => app.inject({ url })));
    expect(docsPage.headers['content-security-policy']).toBe(docs['content-security-policy']);
    expect(apiRoute.headers['content-security-policy']).toBe("default-src 'none'");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-security-policy']).toBe("default-src 'none'");
    await app.close();
  });
});
