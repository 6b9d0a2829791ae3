import { Global, Module } from '@nestjs/common';
import { EXPERIMENTS } from '@app/api';
import { type AppLogger, APP_CONFIG, catalogProblems, DefinitionsFile, ExperimentEvaluator, LOGGER } from '@app/platform';
import type { GatewayConfig } from '../config/gateway.config.js';
import { ExperimentAssigner, LIVE_EXPERIMENTS, type LiveExperiments } from './experiment-assigner.js';

/**
 * Experiment assignment at the gateway: the definitions file is read before
 * the app starts (a missing or invalid file stops the boot, naming the
 * problems) and watched afterwards.
 */
@Global()
@Module({
  providers: [
    {
      provide: LIVE_EXPERIMENTS,
      inject: [APP_CONFIG, LOGGER],
      useFactory: async (config: GatewayConfig, logger: AppLogger): Promise<LiveExperiments> => {
        const evaluator = new ExperimentEvaluator();
        const file = await DefinitionsFile.open(config.EXPERIMENTS_FILE, {
          logger,
          debounceMs: config.EXPERIMENTS_RELOAD_DEBOUNCE_MS,
          check: (definitions) => catalogProblems(definitions, EXPERIMENTS),
          onApply: (definitions) => evaluator.use(definitions),
        });
        return { file, evaluator };
      },
    },
    ExperimentAssigner,
  ],
  exports: [ExperimentAssigner],
})
export class ExperimentsModule {}
