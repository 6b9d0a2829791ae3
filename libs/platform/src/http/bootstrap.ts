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
import { installFaultSwitch } from './fault-switch.js';
import { acceptRequestId } from '../logging/request-context.js';
import { createLogger, NestPinoLogger } from '../logging/logger.js';
import { kafkaConsumerOptions } from '../messaging/consumer-options.js';
import { startTracing } from '../tracing/setup.js';
import { TracedAppModule } from '../tracing/tracing.module.js';
import { startMetricsServer, stopMetricsServer } from '../metrics/metrics-server.js';
import { AppHostModule } from './app-host.module.js';
import { problemClientErrorHandler } from './client-errors.js';
import { installInputHooks } from './input-hooks.js';
import { installJsonBodyParser } from './json-body.js';
import { installRequestHooks, REQUEST_ID_HEADER } from './request-hooks.js';
import { RouteTable } from './route-table.js';

export const BODY_LIMIT_BYTES = 16 * 1024;

export interface BootstrapOptions<S extends z.ZodType<ServiceEnv>> {
  service: string;
  configSchema: S;
  rootModule: Type | DynamicModule;
  /** Set for apps that consume Kafka events: the app becomes a hybrid HTTP + Kafka app. */
  consumerGroup?: ConsumerGroup;
  /** App-specific setup before listening (the gateway adds its edge and API docs). */
  configure?: (app: NestFastifyApplication) => Promise<void>;
  /**
   * Headers on the refusals Node makes before Fastify sees a request (408,
   * 431, bad framing), which no hook can add to: the gateway's security headers.
   */
  refusalHeaders?: Readonly<Record<string, string>>;
}

/** Node checks the request and header timeouts this often (its default, 30 s, would let a slow body sit that much longer). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** Creates, configures and starts one app; shared by all six `main.ts` files. */
export async function bootstrap<S extends z.ZodType<ServiceEnv>>(options: BootstrapOptions<S>): Promise<NestFastifyApplication> {
  const config = configOrExit(options.configSchema) as ServiceEnv;
  const logger = createLogger(options.service, config.LOG_LEVEL, config.RELEASE_TRACK);
  // Before the app exists, so that its first request is traced; a no-op without an OTLP endpoint.
  const traced = startTracing(options.service, config, logger);
  // Fastify's own logger stays off (no `logger` option): installRequestHooks writes the access log.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // Slow or stalled requests (a Content-Length longer than the body sent) get a 408 and lose their connection.
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    http: {
      headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS),
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    // Timeouts, oversized headers and bad framing are problems too (docs/api.md, "Errors").
    clientErrorHandler: problemClientErrorHandler(options.refusalHeaders),
    // Behind a load balancer the client address comes from X-Forwarded-For (per-IP rate limits).
    trustProxy: config.TRUST_PROXY,
    // Errors Fastify raises before routing (bad URL encoding, overlong URL) are problems too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const requestId = acceptRequestId(request.headers[REQUEST_ID_HEADER]);
      const problem = toProblem(error, requestId);
      // Raised before the onRequest hooks: the security headers are added here.
      void reply
        .status(problem.status)
        .headers(options.refusalHeaders ?? {})
        .header(REQUEST_ID_HEADER, requestId)
        .header('content-type', PROBLEM_CONTENT_TYPE)
        .send(problem);
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
  // Before any route exists (Nest adds them at listen): every route is recorded for 405 + Allow.
  const routes = RouteTable.collect(fastify);
  // JSON only: any other body type is answered with 415 instead of being parsed.
  installJsonBodyParser(fastify, BODY_LIMIT_BYTES);
  installRequestHooks(fastify, logger);
  installFaultSwitch(fastify, config.FAULT_500_ROUTE, logger);
  installInputHooks(fastify);
  // JSON answers leave as bytes: Node would otherwise join the headers and a JSON string
  // into one string and measure and encode it again (slow for pages with non-Latin-1 text).
  // Fastify accepts a Buffer from a reply serializer (onSendEnd sends strings and Buffers alike); its type says string.
  fastify.setReplySerializer((payload) => Buffer.from(JSON.stringify(payload)) as unknown as string);
  app.useGlobalFilters(new ProblemDetailsFilter(logger, routes));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  await options.configure?.(app);
  if (options.consumerGroup) {
    app.connectMicroservice(kafkaConsumerOptions(config as ServiceEnv & KafkaEnv, options.consumerGroup, logger), { inheritAppConfig: true });
  }
  // Metrics on their own internal listener, never the public port (docs/operations.md, "Metrics").
  const metricsServer = await startMetricsServer(config.METRICS_PORT, config.HOST, logger);
  fastify.addHook('onClose', async () => stopMetricsServer(metricsServer));
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ port: config.PORT, metricsPort: config.METRICS_PORT, host: config.HOST, consumerGroup: options.consumerGroup }, `${options.service} listening`);
  if (options.consumerGroup) {
    // After listening, not before: joining the consumer group waits for the
    // coordinator to drop the members of a killed process (up to the session
    // timeout), and HTTP requests need none of it (docs/operations.md,
    // "Restart time"). A consumer that cannot start at all ends the process.
    const group = options.consumerGroup;
    app.startAllMicroservices().then(
      () => logger.info({ consumerGroup: group }, `${options.service} consuming`),
      (error: unknown) => {
        logger.fatal({ err: error, consumerGroup: group }, 'the Kafka consumer did not start');
        process.exit(1);
      },
    );
  }
  return app;
}
