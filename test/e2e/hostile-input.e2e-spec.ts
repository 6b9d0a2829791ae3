/**
 * Hostile and malformed input against the running gateway: every request
 * gets the documented 4xx as an RFC 9457 problem, never a 5xx, with the
 * request id and the security headers, and no connection is held past the
 * configured timeouts (docs/api.md, "Errors" and "Hostile input"). The
 * services answer the same when called directly.
 */
import fc from 'fast-check';
import { hasVisibleText } from '@app/api';
import { newAccount } from '../support/accounts.js';
import { eventually } from '../support/eventually.js';
import { api, registerBody } from '../support/api.js';
import { setting, uniqueUsername } from '../support/env.js';
import { send } from '../support/http.js';
import { expectProblem, type ProblemBody, problemFields } from '../support/problem.js';
import { gatewayAddress, type RawAnswer, rawExchange } from '../support/raw-http.js';
import { hmacWithPublicKey, signToken, signWithForeignKey, type TokenSubject, unsignedToken } from '../support/tokens.js';

const REGISTER = '/api/v1/auth/register';
const LOGIN = '/api/v1/auth/login';
const ME = '/api/v1/users/me';
const SEARCH = '/api/v1/search/users';

/** Which Authorization header a row sends; resolved once a real user exists. */
type Auth =
  | 'valid'
  | 'expired'
  | 'foreign-key'
  | 'alg-none'
  | 'hs256-public-key'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'non-snowflake-sub'
  | 'random'
  | 'two-segments'
  | 'four-segments'
  | 'basic'
  | 'bearer-alone'
  | 'bearer-two-spaces';

interface Row {
  name: string;
  method: string;
  path: string;
  json?: unknown;
  raw?: string | Uint8Array;
  contentType?: string;
  auth?: Auth;
  headers?: Record<string, string>;
  status: number;
  /** For validation failures: exactly the fields the problem must name. */
  fields?: string[];
  /** The problem's stable code, when the row is about one. */
  code?: string;
  /** For 405: the Allow header. */
  allow?: string;
}

const password = 'correct horse battery';
const reg = (overrides: Record<string, unknown> = {}) => ({ ...registerBody(uniqueUsername('hostile')), ...overrides });
const without = (key: string) => Object.fromEntries(Object.entries(reg()).filter(([name]) => name !== key));
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));
const emoji = (count: number) => '😀'.repeat(count);
const oversize = JSON.stringify({ ...reg(), displayName: 'x'.repeat(17 * 1024) });
/** A registration whose password holds bytes that are not UTF-8 (0xC3 0x28). */
const invalidUtf8Password = () => {
  const { username, email } = reg();
  return bytes(`{"username":"${username}","email":"${email}","password":"correct horse `, [0xc3, 0x28], '"}');
};

const POSTS = '/api/v1/posts';

/** Every route that takes a JSON body, with a valid body and one string field of it. */
const JSON_ROUTES: { name: string; path: string; method: string; auth?: Auth; body: () => Record<string, unknown>; field: string }[] = [
  { name: 'register', method: 'POST', path: REGISTER, body: () => reg(), field: 'email' },
  { name: 'login', method: 'POST', path: LOGIN, body: () => ({ login: 'alice', password }), field: 'password' },
  { name: 'refresh', method: 'POST', path: '/api/v1/auth/refresh', body: () => ({ refreshToken: 'A'.repeat(43) }), field: 'refreshToken' },
  { name: 'logout', method: 'POST', path: '/api/v1/auth/logout', body: () => ({ refreshToken: 'A'.repeat(43) }), field: 'refreshToken' },
  { name: 'update', method: 'PATCH', path: ME, auth: 'valid', body: () => ({ displayName: 'Hostile' }), field: 'displayName' },
  { name: 'posts', method: 'POST', path: POSTS, auth: 'valid', body: () => ({ text: 'hello' }), field: 'text' },
  { name: 'comments', method: 'POST', path: `${POSTS}/1/comments`, auth: 'valid', body: () => ({ text: 'hello' }), field: 'text' },
];

/** About 8 KB of JSON nested a few thousand levels deep, under the body limit (a fuzz finding). */
const deeplyNested = (body: Record<string, unknown>) => JSON.stringify(body).replace(/}$/, `,"x":${'['.repeat(4000)}${']'.repeat(4000)}}`);

/** Per JSON route: deep nesting, a lone surrogate and a NUL in a value, a NUL in a key, a compressed body. */
function jsonBodyRows(): Row[] {
  return JSON_ROUTES.flatMap(({ name, method, path, auth, body, field }): Row[] => [
    { name: `${name}: JSON nested 4000 levels`, method, path, auth, raw: deeplyNested(body()), contentType: 'application/json', status: 400, code: 'MALFORMED_REQUEST' },
    { name: `${name}: JSON nested 33 levels`, method, path, auth, raw: JSON.stringify({ ...body(), x: JSON.parse(`${'['.repeat(33)}${']'.repeat(33)}`) as unknown }), contentType: 'application/json', status: 400, code: 'MALFORMED_REQUEST' },
    { name: `${name}: lone surrogate in ${field}`, method, path, auth, json: { ...body(), [field]: '\ud800@example.com' }, status: 400, fields: [field] },
    { name: `${name}: NUL in ${field}`, method, path, auth, json: { ...body(), [field]: 'a\u0000b' }, status: 400, fields: [field] },
    { name: `${name}: NUL in a key`, method, path, auth, json: { ...body(), ['x\u0000']: 1 }, status: 400, fields: ['x\ufffd'] },
    { name: `${name}: lone low surrogate in a nested string`, method, path, auth, json: { ...body(), x: { y: ['\udc00'] } }, status: 400, fields: ['x.y[0]'] },
    { name: `${name}: gzip body`, method, path, auth, raw: JSON.stringify(body()), contentType: 'application/json', headers: { 'content-encoding': 'gzip' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: `${name}: br body`, method, path, auth, raw: JSON.stringify(body()), contentType: 'application/json', headers: { 'content-encoding': 'br' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  ]);
}

/** Per route with a path or query parameter: a NUL in it (Postgres refuses NUL in text). */
function parameterRows(): Row[] {
  const paths: [string, string, string, Auth?][] = [
    ['GET', '/api/v1/users/abc%00', 'username'],
    ['GET', '/api/v1/users/abc%00/posts', 'username'],
    ['GET', '/api/v1/users/abc%00/followers', 'username'],
    ['GET', '/api/v1/users/abc%00/following', 'username'],
    ['POST', '/api/v1/users/abc%00/follow', 'username', 'valid'],
    ['DELETE', '/api/v1/users/abc%00/follow', 'username', 'valid'],
    ['GET', `${POSTS}/1%00`, 'id'],
    ['DELETE', `${POSTS}/1%00`, 'id', 'valid'],
    ['POST', `${POSTS}/1%00/like`, 'id', 'valid'],
    ['DELETE', `${POSTS}/1%00/like`, 'id', 'valid'],
    ['GET', `${POSTS}/1%00/comments`, 'id'],
    ['DELETE', '/api/v1/comments/1%00', 'id', 'valid'],
    ['GET', `${SEARCH}?q=a&cursor=%00`, 'cursor'],
    ['GET', '/api/v1/search/posts?q=a%00', 'q'],
    ['GET', '/api/v1/search/posts?q=a&limit=1%00', 'limit'],
    ['GET', '/api/v1/feed?cursor=1%00', 'cursor', 'valid'],
    ['GET', '/api/v1/users/alice/posts?cursor=1%00', 'cursor'],
    ['GET', '/api/v1/users/alice/followers?limit=2%00', 'limit'],
    ['GET', '/api/v1/users/alice/following?cursor=%00', 'cursor'],
    ['GET', `${POSTS}/1/comments?cursor=%00`, 'cursor'],
    ['GET', `${SEARCH}?q=a&x%00=1`, 'x\ufffd'],
  ];
  return [
    ...paths.map(([method, path, field, auth]): Row => ({ name: `NUL in ${field}: ${method} ${path}`, method, path, auth, status: 400, fields: [field] })),
    { name: 'NUL in id of a comment with a body', method: 'POST', path: `${POSTS}/1%00/comments`, auth: 'valid', json: { text: 'hi' }, status: 400, fields: ['id'] },
    // A lone surrogate cannot be percent-encoded as UTF-8: its bytes are a malformed URL.
    { name: 'lone surrogate bytes in a path', method: 'GET', path: '/api/v1/users/%ED%A0%80/posts', status: 400, code: 'MALFORMED_REQUEST' },
  ];
}

/** A method a known path does not have: 405 with the methods it has (Fastify alone says 404). */
function wrongMethodRows(): Row[] {
  const cases: [string, string, string, Auth?][] = [
    ['PUT', `${POSTS}/1`, 'DELETE, GET, HEAD'],
    ['PATCH', `${POSTS}/1`, 'DELETE, GET, HEAD', 'valid'],
    ['PUT', ME, 'GET, HEAD, PATCH', 'valid'],
    ['DELETE', ME, 'GET, HEAD, PATCH', 'valid'],
    ['DELETE', '/api/v1/feed', 'GET, HEAD', 'valid'],
    ['GET', LOGIN, 'POST'],
    ['PUT', REGISTER, 'POST'],
    ['PATCH', `${POSTS}/1/like`, 'DELETE, POST', 'valid'],
    ['PUT', '/api/v1/comments/1', 'DELETE'],
    ['POST', SEARCH, 'GET, HEAD'],
    ['PATCH', '/api/v1/users/alice/follow', 'DELETE, POST', 'valid'],
    ['DELETE', '/api/v1/users/alice', 'GET, HEAD'],
    ['PUT', `${POSTS}/1/comments`, 'GET, HEAD, POST'],
  ];
  return cases.map(([method, path, allow, auth]): Row => ({ name: `wrong method: ${method} ${path}`, method, path, auth, status: 405, code: 'METHOD_NOT_ALLOWED', allow }));
}

const rows: Row[] = [
  // --- registration: missing, extra and mistyped fields
  { name: 'register: empty object', method: 'POST', path: REGISTER, json: {}, status: 400, fields: ['email', 'password', 'username'] },
  { name: 'register: missing password', method: 'POST', path: REGISTER, json: without('password'), status: 400, fields: ['password'] },
  { name: 'register: missing email', method: 'POST', path: REGISTER, json: without('email'), status: 400, fields: ['email'] },
  { name: 'register: extra field isAdmin', method: 'POST', path: REGISTER, json: reg({ isAdmin: true }), status: 400, fields: ['isAdmin'] },
  { name: 'register: extra field id', method: 'POST', path: REGISTER, json: reg({ id: '1' }), status: 400, fields: ['id'] },
  { name: 'register: username is a number', method: 'POST', path: REGISTER, json: reg({ username: 12345 }), status: 400, fields: ['username'] },
  { name: 'register: username is an array', method: 'POST', path: REGISTER, json: reg({ username: ['alice'] }), status: 400, fields: ['username'] },
  { name: 'register: username is an object ($ne)', method: 'POST', path: REGISTER, json: reg({ username: { $ne: null } }), status: 400, fields: ['username'] },
  { name: 'register: username is null', method: 'POST', path: REGISTER, json: reg({ username: null }), status: 400, fields: ['username'] },
  { name: 'register: password is a boolean', method: 'POST', path: REGISTER, json: reg({ password: true }), status: 400, fields: ['password'] },
  { name: 'register: email is a number', method: 'POST', path: REGISTER, json: reg({ email: 1e3 }), status: 400, fields: ['email'] },
  { name: 'register: displayName is an object', method: 'POST', path: REGISTER, json: reg({ displayName: { first: 'A' } }), status: 400, fields: ['displayName'] },
  { name: 'register: username is Infinity (1e999)', method: 'POST', path: REGISTER, raw: '{"username":1e999,"email":"inf@example.com","password":"correct horse battery"}', contentType: 'application/json', status: 400, fields: ['username'] },
  // --- empty, blank and overlong text
  { name: 'register: empty email', method: 'POST', path: REGISTER, json: reg({ email: '' }), status: 400, fields: ['email'] },
  { name: 'register: whitespace-only username', method: 'POST', path: REGISTER, json: reg({ username: '   ' }), status: 400, fields: ['username'] },
  { name: 'register: whitespace-only displayName', method: 'POST', path: REGISTER, json: reg({ displayName: ' \t ' }), status: 400, fields: ['displayName'] },
  { name: 'register: username of 31', method: 'POST', path: REGISTER, json: reg({ username: 'a'.repeat(31) }), status: 400, fields: ['username'] },
  { name: 'register: username of 2', method: 'POST', path: REGISTER, json: reg({ username: 'ab' }), status: 400, fields: ['username'] },
  { name: 'register: password of 129 code points', method: 'POST', path: REGISTER, json: reg({ password: emoji(129) }), status: 400, fields: ['password'] },
  { name: 'register: password of 7', method: 'POST', path: REGISTER, json: reg({ password: 'short12' }), status: 400, fields: ['password'] },
  { name: 'register: displayName of 51 code points', method: 'POST', path: REGISTER, json: reg({ displayName: emoji(51) }), status: 400, fields: ['displayName'] },
  { name: 'register: email of 255', method: 'POST', path: REGISTER, json: reg({ email: `${'a'.repeat(243)}@example.com` }), status: 400, fields: ['email'] },
  // --- characters that do not belong
  { name: 'register: NUL in username', method: 'POST', path: REGISTER, json: reg({ username: 'ab\u0000cd' }), status: 400, fields: ['username'] },
  { name: 'register: BEL in password', method: 'POST', path: REGISTER, json: reg({ password: 'correct\u0007horse' }), status: 400, fields: ['password'] },
  { name: 'register: ESC in displayName', method: 'POST', path: REGISTER, json: reg({ displayName: 'red \u001b[31m' }), status: 400, fields: ['displayName'] },
  { name: 'register: lone surrogate in displayName', method: 'POST', path: REGISTER, raw: JSON.stringify(reg()).replace('}', ',"displayName":"a\\ud800b"}'), contentType: 'application/json', status: 400, fields: ['displayName'] },
  { name: 'register: SQL injection as username', method: 'POST', path: REGISTER, json: reg({ username: "' OR 1=1 --" }), status: 400, fields: ['username'] },
  { name: 'register: script as username', method: 'POST', path: REGISTER, json: reg({ username: '<script>alert(1)</script>' }), status: 400, fields: ['username'] },
  { name: 'register: Cyrillic username', method: 'POST', path: REGISTER, json: reg({ username: 'кошка' }), status: 400, fields: ['username'] },
  { name: 'register: fullwidth username', method: 'POST', path: REGISTER, json: reg({ username: 'ａｄｍｉｎ' }), status: 400, fields: ['username'] },
  { name: 'register: zero-width space in username', method: 'POST', path: REGISTER, json: reg({ username: 'admin\u200b' }), status: 400, fields: ['username'] },
  { name: 'register: email with a display name', method: 'POST', path: REGISTER, json: reg({ email: 'Bob <bob@example.com>' }), status: 400, fields: ['email'] },
  { name: 'register: email header injection', method: 'POST', path: REGISTER, json: reg({ email: 'bob@example.com\r\nBcc: all@example.com' }), status: 400, fields: ['email'] },
  // --- bodies that are not a JSON object
  { name: 'register: invalid UTF-8 in username', method: 'POST', path: REGISTER, raw: bytes('{"username":"ab', [0xff, 0xfe], 'cd","email":"utf@example.com","password":"correct horse battery"}'), contentType: 'application/json', status: 400 },
  { name: 'register: invalid UTF-8 in password', method: 'POST', path: REGISTER, raw: invalidUtf8Password(), contentType: 'application/json', status: 400 },
  { name: 'register: malformed JSON', method: 'POST', path: REGISTER, raw: '{"username": "alice", ', contentType: 'application/json', status: 400 },
  { name: 'register: empty JSON body', method: 'POST', path: REGISTER, raw: '', contentType: 'application/json', status: 400 },
  { name: 'register: JSON array body', method: 'POST', path: REGISTER, json: [reg()], status: 400 },
  { name: 'register: JSON string body', method: 'POST', path: REGISTER, json: 'username=alice', status: 400 },
  { name: 'register: JSON number body', method: 'POST', path: REGISTER, json: 42, status: 400 },
  { name: 'register: JSON null body', method: 'POST', path: REGISTER, raw: 'null', contentType: 'application/json', status: 400 },
  { name: 'register: __proto__ key', method: 'POST', path: REGISTER, raw: JSON.stringify(reg()).replace('{', '{"__proto__":{"isAdmin":true},'), contentType: 'application/json', status: 400 },
  { name: 'register: constructor.prototype key', method: 'POST', path: REGISTER, raw: JSON.stringify(reg()).replace('{', '{"constructor":{"prototype":{"isAdmin":true}},'), contentType: 'application/json', status: 400 },
  { name: 'register: text/plain', method: 'POST', path: REGISTER, raw: JSON.stringify(reg()), contentType: 'text/plain', status: 415 },
  { name: 'register: form-encoded', method: 'POST', path: REGISTER, raw: 'username=alice&password=x', contentType: 'application/x-www-form-urlencoded', status: 415 },
  { name: 'register: XML', method: 'POST', path: REGISTER, raw: '<user><username>alice</username></user>', contentType: 'application/xml', status: 415 },
  { name: 'register: body without a content type', method: 'POST', path: REGISTER, raw: Buffer.from(JSON.stringify(reg())), status: 415 },
  { name: 'register: body over 16 KiB', method: 'POST', path: REGISTER, raw: oversize, contentType: 'application/json', status: 413 },
  // --- login and tokens
  { name: 'login: SQL injection as login and password', method: 'POST', path: LOGIN, json: { login: "' OR 1=1 --", password: "' OR '1'='1" }, status: 401 },
  { name: 'login: empty object', method: 'POST', path: LOGIN, json: {}, status: 400, fields: ['login', 'password'] },
  { name: 'login: login is an object ($gt)', method: 'POST', path: LOGIN, json: { login: { $gt: '' }, password }, status: 400, fields: ['login'] },
  { name: 'login: empty login', method: 'POST', path: LOGIN, json: { login: '', password }, status: 400, fields: ['login'] },
  { name: 'login: NUL in login', method: 'POST', path: LOGIN, json: { login: 'alice\u0000', password }, status: 400, fields: ['login'] },
  { name: 'login: password of 129', method: 'POST', path: LOGIN, json: { login: 'alice', password: 'p'.repeat(129) }, status: 400, fields: ['password'] },
  { name: 'login: extra field', method: 'POST', path: LOGIN, json: { login: 'alice', password, remember: true }, status: 400, fields: ['remember'] },
  { name: 'refresh: too short', method: 'POST', path: '/api/v1/auth/refresh', json: { refreshToken: 'x' }, status: 400, fields: ['refreshToken'] },
  { name: 'refresh: a number', method: 'POST', path: '/api/v1/auth/refresh', raw: '{"refreshToken":12345678901234567890}', contentType: 'application/json', status: 400, fields: ['refreshToken'] },
  { name: 'refresh: unknown token', method: 'POST', path: '/api/v1/auth/refresh', json: { refreshToken: 'A'.repeat(43) }, status: 401 },
  { name: 'logout: SQL injection as token', method: 'POST', path: '/api/v1/auth/logout', json: { refreshToken: "' OR 1=1; DELETE FROM x --" }, status: 401 },
  // --- search query
  { name: 'search: q missing', method: 'GET', path: SEARCH, status: 400, fields: ['q'] },
  { name: 'search: q blank', method: 'GET', path: `${SEARCH}?q=%20%09`, status: 400, fields: ['q'] },
  { name: 'search: q of 201', method: 'GET', path: `${SEARCH}?q=${'q'.repeat(201)}`, status: 400, fields: ['q'] },
  { name: 'search: NUL in q', method: 'GET', path: `${SEARCH}?q=a%00b`, status: 400, fields: ['q'] },
  { name: 'search: ESC in q', method: 'GET', path: `${SEARCH}?q=a%1Bb`, status: 400, fields: ['q'] },
  { name: 'search: limit 0', method: 'GET', path: `${SEARCH}?q=a&limit=0`, status: 400, fields: ['limit'] },
  { name: 'search: limit negative', method: 'GET', path: `${SEARCH}?q=a&limit=-1`, status: 400, fields: ['limit'] },
  { name: 'search: limit huge', method: 'GET', path: `${SEARCH}?q=a&limit=99999999999999999999999`, status: 400, fields: ['limit'] },
  { name: 'search: limit 1e400', method: 'GET', path: `${SEARCH}?q=a&limit=1e400`, status: 400, fields: ['limit'] },
  { name: 'search: limit NaN', method: 'GET', path: `${SEARCH}?q=a&limit=NaN`, status: 400, fields: ['limit'] },
  { name: 'search: limit fractional', method: 'GET', path: `${SEARCH}?q=a&limit=1.5`, status: 400, fields: ['limit'] },
  { name: 'search: limit hexadecimal', method: 'GET', path: `${SEARCH}?q=a&limit=0x10`, status: 400, fields: ['limit'] },
  { name: 'search: limit twice', method: 'GET', path: `${SEARCH}?q=a&limit=1&limit=2`, status: 400, fields: ['limit'] },
  { name: 'search: cursor with a path', method: 'GET', path: `${SEARCH}?q=a&cursor=..%2F..%2Fetc%2Fpasswd`, status: 400, fields: ['cursor'] },
  { name: 'search: unknown parameter', method: 'GET', path: `${SEARCH}?q=a&admin=1`, status: 400, fields: ['admin'] },
  // --- username path parameter
  { name: 'profile: SQL injection as username', method: 'GET', path: `/api/v1/users/${encodeURIComponent("' OR 1=1 --")}`, status: 404 },
  { name: 'profile: NUL as username', method: 'GET', path: '/api/v1/users/%00', status: 400, fields: ['username'] },
  { name: 'profile: invalid percent-encoding', method: 'GET', path: '/api/v1/users/%FF', status: 400 },
  { name: 'profile: username of 101 (over the router limit)', method: 'GET', path: `/api/v1/users/${'a'.repeat(101)}`, status: 414 },
  { name: 'profile: forged token on an opt-auth route', method: 'GET', path: '/api/v1/users/alice', auth: 'foreign-key', status: 401 },
  // --- profile changes
  { name: 'update: displayName of 51', method: 'PATCH', path: ME, auth: 'valid', json: { displayName: emoji(51) }, status: 400, fields: ['displayName'] },
  { name: 'update: bio of 161', method: 'PATCH', path: ME, auth: 'valid', json: { bio: 'б'.repeat(161) }, status: 400, fields: ['bio'] },
  { name: 'update: bio is a number', method: 'PATCH', path: ME, auth: 'valid', json: { bio: 7 }, status: 400, fields: ['bio'] },
  { name: 'update: displayName is a boolean', method: 'PATCH', path: ME, auth: 'valid', json: { displayName: false }, status: 400, fields: ['displayName'] },
  { name: 'update: displayName is an array', method: 'PATCH', path: ME, auth: 'valid', json: { displayName: ['a', 'b'] }, status: 400, fields: ['displayName'] },
  { name: 'update: whitespace-only displayName', method: 'PATCH', path: ME, auth: 'valid', json: { displayName: '\u3000 ' }, status: 400, fields: ['displayName'] },
  { name: 'update: NUL in bio', method: 'PATCH', path: ME, auth: 'valid', json: { bio: 'hi\u0000there' }, status: 400, fields: ['bio'] },
  { name: 'update: email (mass assignment)', method: 'PATCH', path: ME, auth: 'valid', json: { email: 'takeover@example.com' }, status: 400, fields: ['email'] },
  { name: 'update: username (mass assignment)', method: 'PATCH', path: ME, auth: 'valid', json: { username: 'admin' }, status: 400, fields: ['username'] },
  { name: 'update: __proto__ key', method: 'PATCH', path: ME, auth: 'valid', raw: '{"__proto__":{"admin":true},"bio":"x"}', contentType: 'application/json', status: 400 },
  { name: 'update: JSON array body', method: 'PATCH', path: ME, auth: 'valid', json: [{ bio: 'x' }], status: 400 },
  { name: 'update: text/plain', method: 'PATCH', path: ME, auth: 'valid', raw: '{"bio":"x"}', contentType: 'text/plain', status: 415 },
  { name: 'update: body over 16 KiB', method: 'PATCH', path: ME, auth: 'valid', json: { bio: 'x'.repeat(20_000) }, status: 413 },
  // --- authentication
  { name: 'me: no token', method: 'GET', path: ME, status: 401 },
  { name: 'me: expired token', method: 'GET', path: ME, auth: 'expired', status: 401 },
  { name: 'me: token signed by another key', method: 'GET', path: ME, auth: 'foreign-key', status: 401 },
  { name: 'me: alg none token', method: 'GET', path: ME, auth: 'alg-none', status: 401 },
  { name: 'me: HS256 token keyed with the public key', method: 'GET', path: ME, auth: 'hs256-public-key', status: 401 },
  { name: 'me: wrong issuer', method: 'GET', path: ME, auth: 'wrong-issuer', status: 401 },
  { name: 'me: wrong audience', method: 'GET', path: ME, auth: 'wrong-audience', status: 401 },
  { name: 'me: subject that is not an id', method: 'GET', path: ME, auth: 'non-snowflake-sub', status: 401 },
  { name: 'me: random string token', method: 'GET', path: ME, auth: 'random', status: 401 },
  { name: 'me: token with two segments', method: 'GET', path: ME, auth: 'two-segments', status: 401 },
  { name: 'me: token with four segments', method: 'GET', path: ME, auth: 'four-segments', status: 401 },
  { name: 'me: Basic credentials', method: 'GET', path: ME, auth: 'basic', status: 401 },
  { name: 'me: "Bearer" alone', method: 'GET', path: ME, auth: 'bearer-alone', status: 401 },
  { name: 'me: "Bearer" and two spaces', method: 'GET', path: ME, auth: 'bearer-two-spaces', status: 401 },
  { name: 'update: expired token', method: 'PATCH', path: ME, auth: 'expired', json: { bio: 'hijacked' }, status: 401 },
  { name: 'update: alg none token', method: 'PATCH', path: ME, auth: 'alg-none', json: { bio: 'hijacked' }, status: 401 },
  // --- a body is required where a route takes one: none, empty or null is not "no changes"
  { name: 'update: JSON null body', method: 'PATCH', path: ME, auth: 'valid', raw: 'null', contentType: 'application/json', status: 400, fields: ['body'] },
  { name: 'update: empty JSON body', method: 'PATCH', path: ME, auth: 'valid', raw: '', contentType: 'application/json', status: 400, fields: ['body'] },
  { name: 'update: no body at all', method: 'PATCH', path: ME, auth: 'valid', status: 400, fields: ['body'] },
  { name: 'update: merge-patch+json null', method: 'PATCH', path: ME, auth: 'valid', raw: 'null', contentType: 'application/merge-patch+json', status: 400, fields: ['body'] },
  { name: 'update: JSON string body', method: 'PATCH', path: ME, auth: 'valid', json: 'bio', status: 400, fields: ['body'] },
  { name: 'register: JSON null body names it', method: 'POST', path: REGISTER, raw: 'null', contentType: 'application/json; charset=utf-8', status: 400, fields: ['body'] },
  { name: 'posts: empty JSON body', method: 'POST', path: POSTS, auth: 'valid', raw: '', contentType: 'application/json', status: 400, fields: ['body'] },
  { name: 'comments: empty JSON body', method: 'POST', path: `${POSTS}/1/comments`, auth: 'valid', raw: '', contentType: 'application/json', status: 400, fields: ['body'] },
  ...jsonBodyRows(),
  ...parameterRows(),
  ...wrongMethodRows(),
];

let user: TokenSubject;
const authorization: Partial<Record<Auth, string>> = {};

beforeAll(async () => {
  const username = uniqueUsername('hostile');
  const created = await api<{ id: string }>('POST', REGISTER, { body: registerBody(username) });
  expect(created.status).toBe(201);
  user = { id: created.body.id, username };
  const login = await api<{ accessToken: string }>('POST', LOGIN, { body: { login: username, password } });
  expect(login.status).toBe(200);
  const valid = login.body.accessToken;
  const bearer = (token: string) => `Bearer ${token}`;
  Object.assign(authorization, {
    valid: bearer(valid),
    expired: bearer(await signToken(user, { expiresIn: -60 })),
    'foreign-key': bearer(await signWithForeignKey(user)),
    'alg-none': bearer(unsignedToken(user)),
    'hs256-public-key': bearer(await hmacWithPublicKey(user)),
    'wrong-issuer': bearer(await signToken(user, { issuer: 'https://evil.example' })),
    'wrong-audience': bearer(await signToken(user, { audience: 'someone-else' })),
    'non-snowflake-sub': bearer(await signToken({ id: '1 OR 1=1', username })),
    random: bearer('a8f5f167f44f4964e6c998dee827110c'),
    'two-segments': bearer(valid.split('.').slice(0, 2).join('.')),
    'four-segments': bearer(`${valid}.AAAA`),
    basic: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
    'bearer-alone': 'Bearer',
    'bearer-two-spaces': `Bearer  ${valid}`,
  } satisfies Record<Auth, string>);
});

describe('hostile input at the gateway', () => {
  it(`has a broad table (${rows.length} rows)`, () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(new Set(rows.map((row) => row.name)).size).toBe(rows.length);
  });

  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const headers: Record<string, string> = { ...row.headers };
    if (row.contentType) headers['content-type'] = row.contentType;
    if (row.auth) headers.authorization = authorization[row.auth]!;
    const response = await send({ method: row.method, path: row.path, json: row.json, raw: row.raw, headers });

    const problem = expectProblem(response, row.status);
    if (problem.code === 'VALIDATION_FAILED') expect(problemFields(problem).length).toBeGreaterThan(0);
    if (row.fields) expect(problemFields(problem)).toEqual([...row.fields].sort());
    if (row.code) expect(problem.code).toBe(row.code);
    if (row.allow) expect(response.headers.get('allow')).toBe(row.allow);
    if (row.status === 415 && row.headers?.['content-encoding']) expect(response.headers.get('accept-encoding')).toBe('identity');
    // Every refusal leaves like every other answer: with the security headers.
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(JSON.stringify(problem)).not.toMatch(/stack|at \w+ \(|QueryFailedError|SELECT |127\.0\.0\.1|localhost/i);
  });

  it('stores script and SQL text in a display name verbatim and serves it only as JSON', async () => {
    const displayName = `<script>alert(1)</script> Robert'); DROP TABLE users;--`.slice(0, 50);
    const created = await api<{ username: string; displayName: string }>('POST', REGISTER, { body: { ...registerBody(uniqueUsername('xss')), displayName } });
    expect(created.status).toBe(201);
    expect(created.body.displayName).toBe(displayName.trim());
    // Profiles are graph's read model, fed by user.registered.
    const profile = await eventually(async () => {
      const response = await api<{ displayName: string }>('GET', `/api/v1/users/${created.body.username}`);
      return response.status === 200 ? response : undefined;
    });
    expect(profile.body.displayName).toBe(displayName.trim());
    expect(profile.headers.get('content-type')).toMatch(/^application\/json/);
    expect(profile.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('treats SQL and script text in a search query as words', async () => {
    for (const q of ["' OR 1=1 --", '<script>alert(1)</script>', '%', '_', '\\', 'Robert"); DROP TABLE users;--']) {
      const response = await api<{ items: unknown[] }>('GET', `${SEARCH}?q=${encodeURIComponent(q)}`);
      expect({ q, status: response.status }).toEqual({ q, status: 200 });
      expect(Array.isArray(response.body.items)).toBe(true);
    }
  });

  it('accepts every length at its inclusive bound, counted in code points', async () => {
    const username = `${uniqueUsername('b')}_`.padEnd(30, 'x');
    const created = await api<{ displayName: string }>('POST', REGISTER, {
      body: { username, email: `${username}@example.com`, password: emoji(128), displayName: `  ${'家'.repeat(50)}  ` },
    });
    expect(created.status).toBe(201);
    expect(created.body.displayName).toBe('家'.repeat(50));
    const login = await api<{ accessToken: string }>('POST', LOGIN, { body: { login: username, password: emoji(128) } });
    expect(login.status).toBe(200);
    const updated = await api<{ bio: string }>('PATCH', ME, { token: login.body.accessToken, body: { bio: '👩‍👩‍👧'.repeat(32) } });
    expect(updated.status).toBe(200);
    expect([...updated.body.bio]).toHaveLength(160);
  });
});

describe('property: arbitrary bodies never produce a 5xx', () => {
  /** Any answer but a 5xx; a 400 is a problem that names a field (or refuses a prototype key). */
  function expectClientAnswer(response: { status: number; headers: Headers; body: unknown }, sent: string, allowed: number[]): void {
    if (!allowed.includes(response.status)) throw new Error(`${response.status} (expected ${allowed.join(' or ')}) for ${sent}: ${JSON.stringify(response.body)}`);
    if (response.status < 400) return;
    const problem = expectProblem(response, response.status);
    if (response.status !== 400) return;
    if (problem.code === 'MALFORMED_REQUEST') {
      expect(sent).toMatch(/"(__proto__|constructor)"/);
    } else {
      expect({ code: problem.code, fields: problemFields(problem).length > 0, sent }).toEqual({ code: 'VALIDATION_FAILED', fields: true, sent });
    }
  }

  const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ minLength: 100, maxLength: 300 }));
  const anyValue = fc.oneof(anyText, fc.jsonValue({ maxDepth: 2 }), fc.constant(null), fc.integer(), fc.boolean());
  const runs = { numRuns: 60 };

  it('POST /auth/register with any JSON value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        const sent = JSON.stringify(value);
        const response = await send({ method: 'POST', path: REGISTER, raw: sent, headers: { 'content-type': 'application/json' } });
        expectClientAnswer(response, sent, [400]);
      }),
      runs,
    );
  });

  it('POST /auth/register with records of the right keys and any values', async () => {
    const body = fc.record(
      { username: fc.oneof(anyValue, fc.stringMatching(/^[A-Za-z0-9_]{3,30}$/)), email: fc.oneof(anyValue, fc.emailAddress()), password: anyValue, displayName: anyValue, extra: anyValue },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const sent = JSON.stringify(value);
        const response = await send({ method: 'POST', path: REGISTER, raw: sent, headers: { 'content-type': 'application/json' } });
        expectClientAnswer(response, sent, [201, 400, 409]);
      }),
      runs,
    );
  });

  it('POST /auth/login with any strings or values', async () => {
    const body = fc.oneof(fc.record({ login: anyText, password: anyText }), fc.record({ login: anyValue, password: anyValue }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 }));
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const sent = JSON.stringify(value);
        const response = await send({ method: 'POST', path: LOGIN, raw: sent, headers: { 'content-type': 'application/json' } });
        expectClientAnswer(response, sent, [400, 401]);
      }),
      runs,
    );
  });

  it('POST /auth/register with generated valid accounts answers 201 with the given profile', async () => {
    // Any code point but controls and surrogates; trimmed names keep their inner spaces.
    const codePoint = fc
      .integer({ min: 0x20, max: 0x10ffff })
      .filter((cp) => (cp < 0x7f || cp > 0x9f) && (cp < 0xd800 || cp > 0xdfff))
      .map((cp) => String.fromCodePoint(cp));
    const account = fc.record({
      name: fc.stringMatching(/^[A-Za-z0-9_]{1,16}$/),
      password: fc.string({ unit: codePoint, minLength: 8, maxLength: 128 }),
      displayName: fc.option(
        // A name must show something (docs/api.md): one made only of invisible characters is refused.
        fc.string({ unit: codePoint, minLength: 1, maxLength: 50 }).filter((name) => name.trim() === name && name.length > 0 && hasVisibleText(name)),
        { nil: undefined },
      ),
    });
    await fc.assert(
      fc.asyncProperty(account, async ({ name, password: secret, displayName }) => {
        const username = `${name}_${uniqueUsername('').slice(1, 11)}`.slice(0, 30);
        const body = { username, email: `${username.toLowerCase()}@example.com`, password: secret, ...(displayName === undefined ? {} : { displayName }) };
        const response = await send<{ username: string; displayName: string }>({ method: 'POST', path: REGISTER, json: body });
        expect({ status: response.status, body }).toEqual({ status: 201, body });
        expect(response.body).toMatchObject({ username, displayName: displayName ?? username });
      }),
      runs,
    );
  });
});

describe('public edge', () => {
  it('sends security headers and no rate-limit refusal on an ordinary request', async () => {
    const response = await api('GET', `${SEARCH}?q=edge`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toMatch(/^(DENY|SAMEORIGIN)$/);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('retry-after')).toBeNull();
  });

  it('puts the security headers on problem answers too', async () => {
    const response = await api('POST', LOGIN, { body: {} });
    expectProblem(response, 400);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('lets no other origin read answers unless CORS_ORIGINS allows it', async () => {
    const response = await api('GET', `${SEARCH}?q=edge`, { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

/** The request timeout the apps run with (the production default unless the environment sets one). */
const REQUEST_TIMEOUT_MS = Number(setting('HTTP_REQUEST_TIMEOUT_MS', '15000'));
const HEADERS_TIMEOUT_MS = Math.min(Number(setting('HTTP_HEADERS_TIMEOUT_MS', '10000')), REQUEST_TIMEOUT_MS);
/** Node checks the timeouts once a second; the rest is scheduling on a busy machine. */
const SLACK_MS = 3_000;

/** A problem answered on a raw connection: status, problem body, request id, security headers (the gateway's). */
function expectRawProblem(answer: RawAnswer, status: number, code: string, securityHeaders = true): void {
  expect({ status: answer.status, body: answer.body.slice(0, 300) }).toMatchObject({ status });
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(answer.body) as ProblemBody;
  expect(problem).toMatchObject({ status, code, type: expect.stringMatching(/^https:\/\//), title: expect.any(String), detail: expect.any(String) });
  expect(answer.headers['x-request-id']).toEqual(expect.any(String));
  expect(problem.requestId).toBe(answer.headers['x-request-id']);
  if (securityHeaders) {
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-security-policy']).toMatch(/default-src 'none'/);
  }
}

/** A request head for a raw connection. */
const head = (method: string, path: string, headers: Record<string, string | number> = {}) =>
  `${method} ${path} HTTP/1.1\r\nHost: warble.test\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

describe('framework refusals at the gateway (raw connections)', () => {
  const gateway = gatewayAddress();

  it('answers a body shorter than its Content-Length with 408 within the request timeout, on every JSON route', async () => {
    const token = authorization.valid!;
    const answers = await Promise.all(
      JSON_ROUTES.map(async ({ name, method, path, auth, body }) => {
        const text = JSON.stringify(body());
        const headers = { 'content-type': 'application/json', 'content-length': text.length + 100, ...(auth ? { authorization: token } : {}) };
        return { name, answer: await rawExchange(gateway, head(method, path, headers) + text, REQUEST_TIMEOUT_MS + SLACK_MS + 5_000) };
      }),
    );
    for (const { name, answer } of answers) {
      expect({ name, status: answer.status }).toEqual({ name, status: 408 });
      expectRawProblem(answer, 408, 'REQUEST_TIMEOUT');
      expect({ name, heldMs: answer.closedAfterMs }).toEqual({ name, heldMs: expect.any(Number) });
      expect(answer.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
      expect(answer.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 1_000);
    }
  });

  it('answers headers that never end with 408 within the headers timeout', async () => {
    const answer = await rawExchange(gateway, 'GET /api/v1/feed HTTP/1.1\r\nHost: warble.test\r\nX-Slow: 1\r\n', REQUEST_TIMEOUT_MS + SLACK_MS + 5_000);
    expectRawProblem(answer, 408, 'REQUEST_TIMEOUT');
    expect(answer.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  });

  it('answers oversized headers with 431 problem details', async () => {
    const answer = await rawExchange(gateway, head('GET', `${SEARCH}?q=a`, { 'x-padding': 'a'.repeat(20_000) }), 10_000);
    expectRawProblem(answer, 431, 'HEADERS_TOO_LARGE');
  });

  it.each([
    ['Content-Length and Transfer-Encoding together', `${head('POST', LOGIN, { 'content-type': 'application/json', 'content-length': 2, 'transfer-encoding': 'chunked' })}0\r\n\r\n`],
    ['a Content-Length that is not a number', head('POST', LOGIN, { 'content-type': 'application/json', 'content-length': 'abc' })],
    ['two different Content-Lengths', `POST ${LOGIN} HTTP/1.1\r\nHost: warble.test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}`],
    ['a broken chunk size', `${head('POST', LOGIN, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' })}zz\r\n{}\r\n0\r\n\r\n`],
    ['a space before the colon', `GET ${SEARCH}?q=a HTTP/1.1\r\nHost : warble.test\r\n\r\n`],
    ['a control character in a header value', `GET ${SEARCH}?q=a HTTP/1.1\r\nHost: warble.test\r\nX-A: a\u0001b\r\n\r\n`],
    ['not HTTP at all', 'HELLO\r\n\r\n'],
  ])('answers bad framing (%s) with 400 problem details and closes', async (_name, bytes) => {
    const answer = await rawExchange(gateway, bytes, 10_000);
    expectRawProblem(answer, 400, 'MALFORMED_REQUEST');
  });
});

describe('routes without a body take an empty one with any JSON content type', () => {
  const contentTypes = ['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'application/problem+json'];
  let author: Awaited<ReturnType<typeof newAccount>>;
  let reader: Awaited<ReturnType<typeof newAccount>>;
  let postId: string;

  beforeAll(async () => {
    [author, reader] = await Promise.all([newAccount('emptyA'), newAccount('emptyR')]);
    const post = await api<{ id: string }>('POST', POSTS, { token: author.accessToken, body: { text: 'bodyless routes' } });
    expect(post.status).toBe(201);
    postId = post.body.id;
  });

  const empty = (method: string, path: string, token: string, contentType: string) =>
    send({ method, path, raw: '', headers: { 'content-type': contentType, authorization: `Bearer ${token}` } });

  it.each(contentTypes)('follow, unfollow, like and unlike with %s and an empty body', async (contentType) => {
    for (const [method, path] of [
      ['POST', `/api/v1/users/${author.username}/follow`],
      ['DELETE', `/api/v1/users/${author.username}/follow`],
      ['POST', `${POSTS}/${postId}/like`],
      ['DELETE', `${POSTS}/${postId}/like`],
    ] as const) {
      const response = await empty(method, path, reader.accessToken, contentType);
      expect({ method, path, contentType, status: response.status, body: response.body }).toEqual({ method, path, contentType, status: 204, body: undefined });
    }
  });

  it('deletes a comment and a post with an empty JSON body', async () => {
    const comment = await eventually(async () => {
      const response = await api<{ id: string }>('POST', `${POSTS}/${postId}/comments`, { token: reader.accessToken, body: { text: 'soon gone' } });
      return response.status === 201 ? response : undefined;
    });
    expect((await empty('DELETE', `/api/v1/comments/${comment.body.id}`, reader.accessToken, 'application/json')).status).toBe(204);
    expect((await empty('DELETE', `${POSTS}/${postId}`, author.accessToken, 'application/json; charset=utf-8')).status).toBe(204);
  });

  it('takes a body sent as identity (the one content coding the server has)', async () => {
    const response = await send({ method: 'PATCH', path: ME, json: { bio: 'uncompressed' }, headers: { authorization: `Bearer ${reader.accessToken}`, 'content-encoding': 'identity' } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ bio: 'uncompressed' });
  });
});

describe('answers carrying credentials or private data are not stored', () => {
  it('sends Cache-Control: no-store on register, login, refresh and /users/me', async () => {
    const username = uniqueUsername('nostore');
    const registered = await api('POST', REGISTER, { body: registerBody(username) });
    const login = await api<{ accessToken: string; refreshToken: string }>('POST', LOGIN, { body: { login: username, password } });
    const refreshed = await api('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    const me = await api('GET', ME, { token: login.body.accessToken });
    const updated = await api('PATCH', ME, { token: login.body.accessToken, body: { bio: 'private' } });
    for (const [name, response, status] of [['register', registered, 201], ['login', login, 200], ['refresh', refreshed, 200], ['GET me', me, 200], ['PATCH me', updated, 200]] as const) {
      expect({ name, status: response.status, cacheControl: response.headers.get('cache-control') }).toEqual({ name, status, cacheControl: 'no-store' });
    }
  });
});

describe('the services answer hostile input the same when called directly', () => {
  const direct = (app: string) => `http://127.0.0.1:${setting(`${app.toUpperCase()}_PORT`)}`;
  let token: string;
  beforeAll(async () => {
    token = (await newAccount('directh')).accessToken;
  });

  it.each([
    ['users: lone surrogate in the register e-mail', 'users', 'POST', '/auth/register', JSON.stringify(reg({ email: '\ud800@example.com' })), 400, ['email']],
    ['users: NUL in the login', 'users', 'POST', '/auth/login', JSON.stringify({ login: 'a\u0000', password }), 400, ['login']],
    ['users: JSON nested 4000 levels', 'users', 'POST', '/auth/login', deeplyNested({ login: 'a', password: 'b' }), 400, undefined],
    ['users: null body on PATCH /users/me', 'users', 'PATCH', '/users/me', 'null', 400, ['body']],
    ['users: NUL in a username', 'users', 'GET', '/users/abc%00', undefined, 400, ['username']],
    ['posts: NUL in a timeline username', 'posts', 'GET', '/users/abc%00/posts', undefined, 400, ['username']],
    ['posts: NUL in a post text', 'posts', 'POST', '/posts', JSON.stringify({ text: 'a\u0000' }), 400, ['text']],
    ['posts: NUL in a feed cursor', 'posts', 'GET', '/feed?cursor=%00', undefined, 400, ['cursor']],
    ['graph: NUL in a followed username', 'graph', 'POST', '/users/abc%00/follow', undefined, 400, ['username']],
    ['graph: NUL in a followers limit', 'graph', 'GET', '/users/abc/followers?limit=%00', undefined, 400, ['limit']],
    ['search: NUL in q', 'search', 'GET', '/search/posts?q=a%00', undefined, 400, ['q']],
    ['comments: NUL in a post id', 'comments', 'GET', '/posts/1%00/comments', undefined, 400, ['id']],
    ['comments: lone surrogate in a comment', 'comments', 'POST', '/posts/1/comments', JSON.stringify({ text: '\udfff' }), 400, ['text']],
  ] as const)('%s', async (_name, app, method, path, raw, status, fields) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (raw !== undefined) headers['content-type'] = 'application/json';
    const response = await send({ baseUrl: direct(app), method, path, raw, headers });
    const problem = expectProblem(response, status);
    if (fields) expect(problemFields(problem)).toEqual([...fields].sort());
  });

  it.each([
    ['users', 'PUT', '/users/me', 'GET, HEAD, PATCH'],
    ['posts', 'PUT', '/posts/1', 'DELETE, GET, HEAD'],
    ['graph', 'PUT', '/users/abc/follow', 'DELETE, POST'],
    ['search', 'DELETE', '/search/users', 'GET, HEAD'],
    ['comments', 'PATCH', '/comments/1', 'DELETE'],
  ] as const)('%s: %s %s is a 405 with Allow', async (app, method, path, allow) => {
    const response = await send({ baseUrl: direct(app), method, path, headers: { authorization: `Bearer ${token}` } });
    expect(expectProblem(response, 405).code).toBe('METHOD_NOT_ALLOWED');
    expect(response.headers.get('allow')).toBe(allow);
  });

  it.each([
    ['users', 'POST', '/auth/login'],
    ['posts', 'POST', '/posts'],
    ['graph', 'POST', '/users/abc/follow'],
    ['search', 'GET', '/search/users?q=a'],
    ['comments', 'POST', '/posts/1/comments'],
  ] as const)('%s: a gzip body (%s %s) is a 415', async (app, method, path) => {
    const body = method === 'GET' ? {} : { raw: '{"text":"x"}' };
    const response = await send({ baseUrl: direct(app), method, path, ...body, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}` } });
    expect(expectProblem(response, 415).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('posts: a like with an empty JSON body is not a body error', async () => {
    const response = await send({ baseUrl: direct('posts'), method: 'POST', path: '/posts/1/like', raw: '', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(expectProblem(response, 404).code).toBe('POST_NOT_FOUND');
  });

  it('every service answers a short body (or headers that never end) with a 408 problem within the timeout', async () => {
    const short = (path: string) => `${head('POST', path, { 'content-type': 'application/json', 'content-length': 50, authorization: `Bearer ${token}` })}{"text":`;
    const requests: [string, string][] = [
      ['users', short('/auth/login')],
      ['posts', short('/posts')],
      ['graph', short('/users/abc/follow')],
      ['comments', short('/posts/1/comments')],
      // search takes no bodies: its headers never end instead.
      ['search', 'GET /search/users?q=a HTTP/1.1\r\nHost: warble.test\r\n'],
    ];
    const answers = await Promise.all(
      requests.map(([app, bytes]) => rawExchange({ host: '127.0.0.1', port: Number(setting(`${app.toUpperCase()}_PORT`)) }, bytes, REQUEST_TIMEOUT_MS + SLACK_MS + 5_000)),
    );
    for (const answer of answers) {
      // Services send no browser security headers (only the gateway faces browsers).
      expectRawProblem(answer, 408, 'REQUEST_TIMEOUT', false);
      expect(answer.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    }
  });
});
