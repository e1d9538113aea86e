import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from '@ce/config';
import { APP_CONFIG } from '../config/config.module';
import { AttributionRequests } from './attribution-requests.service';
import { JourneySignals } from './journey-signals.service';

export const TEMPORAL_CONNECTION = Symbol('TEMPORAL_CONNECTION');

/**
 * The Temporal client. The connection is lazy so the API starts (and reports not-ready)
 * while Temporal is still coming up.
 */
@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CONNECTION,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => Connection.lazy({ address: config.temporal.address }),
    },
    {
      provide: Client,
      inject: [TEMPORAL_CONNECTION, APP_CONFIG],
      useFactory: (connection: Connection, config: AppConfig) =>
        new Client({ connection, namespace: config.temporal.namespace }),
    },
    JourneySignals,
    AttributionRequests,
  ],
  exports: [Client, TEMPORAL_CONNECTION, JourneySignals, AttributionRequests],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CONNECTION) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
