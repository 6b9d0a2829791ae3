import { bootstrap } from '@app/platform';
import { gatewayConfigSchema } from './config/gateway.config.js';
import { GatewayModule } from './gateway.module.js';

await bootstrap({ service: 'gateway', configSchema: gatewayConfigSchema, rootModule: GatewayModule });
