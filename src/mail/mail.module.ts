import { Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import path from 'node:path';
import { MetricsRegistryModule } from '../common/metrics-registry.module.js';
import { AppConfig } from '../config/app-config.js';
import { MailMetrics } from './mail-metrics.js';
import { MailSender } from './mail-sender.js';
import { OutboxMailSender } from './outbox-mail-sender.js';
import { SmtpMailSender } from './smtp-mail-sender.js';

@Module({
  imports: [MetricsRegistryModule],
  providers: [
    MailMetrics,
    {
      provide: MailSender,
      inject: [AppConfig],
      useFactory: (config: AppConfig): MailSender => {
        if (config.mail.smtpUrl) return new SmtpMailSender(config.mail.smtpUrl, config.mail.poolSize, config.mail.from, config.delivery.dkim);
        const directory = path.resolve(config.mail.outboxDir);
        new Logger(MailModule.name).warn(`SMTP_URL is not set: mail is written as .eml files to ${directory}`);
        return new OutboxMailSender(directory, config.mail.from);
      },
    },
  ],
  exports: [MailSender, MailMetrics],
})
export class MailModule implements OnApplicationShutdown {
  constructor(private readonly sender: MailSender) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sender.close();
  }
}
