import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ConsumerGroup } from '@app/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { configOrExit, type KafkaEnv, type ServiceEnv } from '../config/config.js';
import { ProblemDetailsFilter } from '../errors/problem.filter.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem.js';
import { createValidationPipe } from '../errors/validation.pipe.js';
import { acceptRequestId } from '../logging/request-context.js';
import { createLogger, NestPinoLogger } from '../logging/logger.js';
import { kafkaConsumerOptions } from '../messaging/consumer-options.js';
import { startTracing } from '../tracing/setup.js';
import { TracedAppModule } from '../tracing/tracing.module.js';
import { AppHostModule } from './app-host.module.js';
import { installJsonBodyParser } from './json-body.js';
import { installRequestHooks, REQUEST_ID_HEADER } from './request-hooks.js';

export const BODY_LIMIT_BYTES = 16 * 1024;

export interface BootstrapOptions<S extends z.ZodType<ServiceEnv>> {
  service: string;
  configSchema: S;
  rootModule: Type | DynamicModule;
  /** Set for apps that consume Kafka events: the app becomes a hybrid HTTP + Kafka app. */
  consumerGroup?: ConsumerGroup;
  /** App-specific setup before listening (the gateway adds its edge and API docs). */
  configure?: (app: NestFastifyApplication) => Promise<void>;
}

/** Creates, configures and starts one app; shared by all six `main.ts` files. */
export async function bootstrap<S extends z.ZodType<ServiceEnv>>(options: BootstrapOptions<S>): Promise<NestFastifyApplication> {
  const config = configOrExit(options.configSchema) as ServiceEnv;
  const logger = createLogger(options.service, config.LOG_LEVEL);
  // Before the app exists, so that its first request is traced; a no-op without an OTLP endpoint.
  const traced = startTracing(options.service, config, logger);
  // Fastify's own logger stays off (no `logger` option): installRequestHooks writes the access log.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // Behind a load balancer the client address comes from X-Forwarded-For (per-IP rate limits).
    trustProxy: config.TRUST_PROXY,
    // Errors Fastify raises before routing (bad URL encoding, overlong URL) are problems too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const requestId = acceptRequestId(request.headers[REQUEST_ID_HEADER]);
      void reply.status(toProblem(error).status).header(REQUEST_ID_HEADER, requestId).header('content-type', PROBLEM_CONTENT_TYPE).send(toProblem(error, requestId));
    },
  });
  const host = AppHostModule.forRoot(options.service, config, logger, options.rootModule);
  const app = await NestFactory.create<NestFastifyApplication>(
    traced ? TracedAppModule.around(host) : host,
    adapter,
    // bodyParser: false keeps Nest from adding a form parser; Fastify's JSON parser stays.
    { logger: new NestPinoLogger(logger), bodyParser: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only: any other body type is answered with 415 instead of being parsed.
  installJsonBodyParser(fastify, BODY_LIMIT_BYTES);
  installRequestHooks(fastify, logger);
  // JSON answers leave as bytes: Node would otherwise join the headers and a JSON string
  // into one string and measure and encode it again (slow for pages with non-Latin-1 text).
  // Fastify accepts a Buffer from a reply serializer (onSendEnd sends strings and Buffers alike); its type says string.
  fastify.setReplySerializer((payload) => Buffer.from(JSON.stringify(payload)) as unknown as string);
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  await options.configure?.(app);
  if (options.consumerGroup) {
    app.connectMicroservice(kafkaConsumerOptions(config as ServiceEnv & KafkaEnv, options.consumerGroup, logger), { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ port: config.PORT, host: config.HOST, consumerGroup: options.consumerGroup }, `${options.service} ready`);
  return app;
}
