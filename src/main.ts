import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { createLogger, prepare } from './bootstrap.js';
import { WEB_ROLE } from './config/process-role.js';
import { configureApp } from './http/configure-app.js';

/** Web entry: public pages, admin API and schedulers; also runs queue workers unless RUN_WORKERS=false. */
async function main(): Promise<void> {
  const config = await prepare();
  const logger = createLogger(config);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(config, WEB_ROLE(config.runWorkers)),
    {
      bodyParser: false,
      logger,
    },
  );
  configureApp(app);
  await app.listen(config.http.port, config.http.host);
  if (!config.admin.tokens.length) {
    logger.log("ADMIN_TOKENS is empty: /admin answers operators' personal tokens only", 'Main');
  } else {
    // Not fatal: the bootstrap tokens are how a fresh install reaches /admin before it has operators.
    logger.warn(
      'ADMIN_TOKENS grants owner access under no name: create operators with personal tokens (npm run operator:create) and unset it',
      'Main',
    );
  }
  logger.log(`Tidings listens on ${config.http.host}:${config.http.port}; public URL ${config.http.publicUrl}`, 'Main');
}

void main();
