import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { AppConfig } from '@ce/config';

/** Built once by the worker and handed to every activity factory. */
export interface ActivityDeps {
  orm: MikroORM;
  mailer: Transporter;
  temporal: Client;
  config: Pick<AppConfig, 'mailFrom' | 'publicBaseUrl' | 'trackingSecret' | 'webhookSecret' | 'webhookAllowPrivateAddresses' | 'importDir' | 'nurtureCohortSize' | 'emailRatePerSecond' | 'smtpPoolSize'>;
  logger: Logger;
}
