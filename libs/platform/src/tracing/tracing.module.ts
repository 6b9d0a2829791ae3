import { type DynamicModule, Global, Injectable, Module, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { stopTracing } from './setup.js';

/** Exports the spans still buffered when the app closes (SIGTERM), so a graceful stop loses none. */
@Injectable()
class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}

/**
 * Nest calls shutdown hooks of global modules after all others, the global
 * module scanned first last of all. Imported first by the traced root below,
 * this module's flush therefore comes after the outbox relay's final publish
 * and the Kafka consumer's disconnect, so their last spans are exported too.
 */
@Global()
@Module({ providers: [TracingShutdown] })
class TracingModule {}

@Module({})
export class TracedAppModule {
  /** Wraps an app's root module; used only when tracing is on, so an untraced app's module tree is unchanged. */
  static around(root: Type | DynamicModule): DynamicModule {
    return { module: TracedAppModule, imports: [TracingModule, root] };
  }
}
