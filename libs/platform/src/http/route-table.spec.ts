import { RouteTable } from './route-table.js';

describe('RouteTable', () => {
  const table = new RouteTable();
  table.add('/api/v1/posts/:id', ['GET', 'HEAD']);
  table.add('/api/v1/posts/:id', 'DELETE');
  table.add('/api/v1/posts/:id/like', ['POST', 'DELETE']);
  table.add('/api/v1/users/me', ['GET', 'PATCH']);
  table.add('/api/v1/users/:username', 'GET');
  table.add('/docs/*', 'GET');
  table.add('*', 'OPTIONS');

  it('collects the methods of every template a path matches', () => {
    expect(table.allowedMethods('/api/v1/posts/123')).toEqual(['DELETE', 'GET', 'HEAD']);
    expect(table.allowedMethods('/api/v1/users/me')).toEqual(['GET', 'PATCH']);
    expect(table.allowedMethods('/api/v1/posts/1/like')).toEqual(['DELETE', 'POST']);
  });

  it('matches a parameter within one segment only, and wildcards across segments', () => {
    expect(table.allowedMethods('/api/v1/posts/1/2')).toEqual([]);
    expect(table.allowedMethods('/docs/static/index.html')).toEqual(['GET']);
  });

  it('ignores OPTIONS catch-alls (CORS preflight), so unknown paths stay unknown', () => {
    expect(table.allowedMethods('/nowhere')).toEqual([]);
  });

  it('treats template text literally', () => {
    const dotted = new RouteTable();
    dotted.add('/docs/openapi.json', 'GET');
    expect(dotted.allowedMethods('/docs/openapiXjson')).toEqual([]);
    expect(dotted.allowedMethods('/docs/openapi.json')).toEqual(['GET']);
  });
});
