import { bootstrap } from '@app/platform';
import { gatewayConfigSchema } from './config/gateway.config.js';
import { configureDocs } from './docs/configure-docs.js';
import { API_SECURITY_HEADERS, configureEdge } from './edge/configure-edge.js';
import { installExperimentMetrics } from './experiments/experiment-metrics.js';
import { GatewayModule } from './gateway.module.js';

await bootstrap({
  service: 'gateway',
  configSchema: gatewayConfigSchema,
  rootModule: GatewayModule,
  refusalHeaders: API_SECURITY_HEADERS,
  configure: async (app) => {
    await configureEdge(app);
    installExperimentMetrics(app.getHttpAdapter().getInstance());
    await configureDocs(app);
  },
});
