import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** OpenAPI document and Swagger UI. */
export async function configureDocs(_app: NestFastifyApplication): Promise<void> {}
