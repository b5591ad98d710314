import { Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsRegistryModule } from '../common/metrics-registry.module.js';
import { AppConfig, type MailTransportName } from '../config/app-config.js';
import { MailMetrics } from './mail-metrics.js';
import { MailTransport } from './mail-transport.js';
import { OutboxTransport } from './transports/outbox.transport.js';
import { PostmarkTransport } from './transports/postmark.transport.js';
import { SesTransport } from './transports/ses.transport.js';
import { SmtpTransport } from './transports/smtp.transport.js';

/**
 * Every transport, by its MAIL_TRANSPORT value. A new provider is one file under transports/,
 * one line here, and its variables in config/ (the type makes this list complete).
 */
const TRANSPORTS: Record<MailTransportName, new (config: AppConfig['mail']) => MailTransport> = {
  smtp: SmtpTransport,
  outbox: OutboxTransport,
  ses: SesTransport,
  postmark: PostmarkTransport,
};

@Module({
  imports: [MetricsRegistryModule],
  providers: [
    MailMetrics,
    {
      provide: MailTransport,
      inject: [AppConfig],
      useFactory: ({ mail }: AppConfig): MailTransport => {
        const transport = new TRANSPORTS[mail.transport](mail);
        if (transport instanceof OutboxTransport) {
          new Logger(MailModule.name).warn(
            `MAIL_TRANSPORT is outbox: mail is written as .eml files to ${transport.directory}`,
          );
        }
        return transport;
      },
    },
  ],
  exports: [MailTransport, MailMetrics],
})
export class MailModule implements OnApplicationShutdown {
  constructor(private readonly transport: MailTransport) {}

  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}
