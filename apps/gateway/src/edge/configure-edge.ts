import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Public-edge protections of the gateway (security headers, CORS). */
export async function configureEdge(_app: NestFastifyApplication): Promise<void> {}
