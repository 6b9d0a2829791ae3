import { Body, Controller, Delete, Get, HttpCode, Module, Param, Patch, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsOptional, IsString } from 'class-validator';
import { ProblemDetailsFilter } from '../errors/problem.filter.js';
import { createValidationPipe } from '../errors/validation.pipe.js';
import { createLogger } from '../logging/logger.js';
import { installInputHooks } from './input-hooks.js';
import { installJsonBodyParser } from './json-body.js';
import { installRequestHooks } from './request-hooks.js';
import { RouteTable } from './route-table.js';

class ProfileDto {
  @IsOptional()
  @IsString()
  bio?: string;
}

@Controller()
class SpecController {
  @Post('things/:id/like')
  @HttpCode(204)
  like(@Param('id') _id: string): void {}

  @Delete('things/:id')
  @HttpCode(204)
  remove(@Param('id') _id: string): void {}

  @Get('things/:id')
  get(@Param('id') id: string): object {
    return { id };
  }

  @Patch('me')
  update(@Body() body: ProfileDto): object {
    return { ...body };
  }

  @Get('users/:name/posts')
  posts(@Param('name') name: string, @Query('q') q?: string): object {
    return { name, q };
  }
}

@Module({ controllers: [SpecController] })
class SpecModule {}

/** The platform's request pipeline as bootstrap() assembles it, on an in-process app. */
async function specApp(): Promise<NestFastifyApplication> {
  const logger = createLogger('spec', 'silent');
  const app = await NestFactory.create<NestFastifyApplication>(SpecModule, new FastifyAdapter(), { logger: false, bodyParser: false });
  const fastify = app.getHttpAdapter().getInstance();
  const routes = RouteTable.collect(fastify);
  installJsonBodyParser(fastify, 16 * 1024);
  installRequestHooks(fastify, logger);
  installInputHooks(fastify);
  app.useGlobalFilters(new ProblemDetailsFilter(logger, routes));
  app.useGlobalPipes(createValidationPipe());
  await app.init();
  await fastify.ready();
  return app;
}

let app: NestFastifyApplication;
beforeAll(async () => {
  app = await specApp();
});
afterAll(async () => {
  await app.close();
});

const inject = (options: Parameters<NestFastifyApplication['inject']>[0]) => app.inject(options);

describe('empty JSON bodies', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'application/problem+json'])(
    'are no body on bodyless routes (%s)',
    async (contentType) => {
      expect((await inject({ method: 'POST', url: '/things/1/like', headers: { 'content-type': contentType }, payload: '' })).statusCode).toBe(204);
      expect((await inject({ method: 'DELETE', url: '/things/1', headers: { 'content-type': contentType }, payload: '' })).statusCode).toBe(204);
    },
  );

  it.each([
    ['no body', undefined],
    ['an empty body', ''],
    ['null', 'null'],
    ['an array', '[]'],
    ['a number', '3'],
  ])('are a 400 naming body on a route that takes one (%s)', async (_name, payload) => {
    const response = await inject({ method: 'PATCH', url: '/me', headers: { 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload }) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body' }] });
  });

  it('leave an object body to validation', async () => {
    const response = await inject({ method: 'PATCH', url: '/me', headers: { 'content-type': 'application/json' }, payload: '{"bio":"hi"}' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ bio: 'hi' });
  });

  it('still refuse a malformed body', async () => {
    const response = await inject({ method: 'PATCH', url: '/me', headers: { 'content-type': 'application/json' }, payload: '{"bio":' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'MALFORMED_REQUEST' });
  });
});

describe('hostile JSON', () => {
  it('refuses nesting deeper than the limit before validation', async () => {
    const deep = `{"bio":"a","x":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    const response = await inject({ method: 'PATCH', url: '/me', headers: { 'content-type': 'application/json' }, payload: deep });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'MALFORMED_REQUEST' });
    expect(response.json().detail).toContain('32');
  });

  it.each([
    ['a NUL in a value', '{"bio":"a\\u0000b"}', 'bio'],
    ['a lone surrogate in a value', '{"bio":"\\ud800@example.com"}', 'bio'],
    ['a NUL in a key', '{"a\\u0000":"b"}', 'a\ufffd'],
    ['a NUL deeper down', '{"bio":"ok","x":{"y":["\\u0000"]}}', 'x.y[0]'],
  ])('names the field with %s', async (_name, payload, field) => {
    const response = await inject({ method: 'PATCH', url: '/me', headers: { 'content-type': 'application/json' }, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field }] });
  });
});

describe('hostile parameters', () => {
  it.each([
    ['a NUL in a path parameter', '/users/abc%00/posts', 'name'],
    ['a NUL in a query value', '/users/abc/posts?q=a%00', 'q'],
    ['a NUL in a query name', '/users/abc/posts?q%00=a', 'q\ufffd'],
  ])('are a 400 naming the parameter: %s', async (_name, url, field) => {
    const response = await inject({ method: 'GET', url });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field }] });
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('lets plain parameters through', async () => {
    expect((await inject({ method: 'GET', url: '/users/abc/posts?q=caf%C3%A9' })).json()).toEqual({ name: 'abc', q: 'café' });
  });
});

describe('content codings', () => {
  it('refuses gzip with 415 and Accept-Encoding', async () => {
    const response = await inject({ method: 'PATCH', url: '/me', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: '{"bio":"x"}' });
    expect(response.statusCode).toBe(415);
    expect(response.headers['accept-encoding']).toBe('identity');
    expect(response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('refuses a content coding on a request without a body too', async () => {
    const response = await inject({ method: 'GET', url: '/things/1', headers: { 'content-encoding': 'br' } });
    expect(response.statusCode).toBe(415);
  });

  it('takes identity', async () => {
    const response = await inject({ method: 'PATCH', url: '/me', headers: { 'content-type': 'application/json', 'content-encoding': 'identity' }, payload: '{"bio":"x"}' });
    expect(response.statusCode).toBe(200);
  });
});

describe('wrong methods', () => {
  it('answer 405 with Allow on a known path', async () => {
    const response = await inject({ method: 'PUT', url: '/things/7' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('DELETE, GET, HEAD');
    expect(response.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED', status: 405 });
  });

  it('leave unknown paths a 404', async () => {
    const response = await inject({ method: 'PUT', url: '/nothing/here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });
});
