import { BadRequestException, type INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ValidationError } from 'class-validator';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { AppConfig } from '../config/app-config.js';
import { PageRenderer } from '../rendering/page-renderer.js';
import { HttpErrorFilter, toErrorBody } from './http-error.filter.js';
import { setupOpenApi } from '../common/openapi.js';

/** Plain words for what body-parser rejects, instead of its internal messages. */
const BODY_ERRORS: Record<string, (limit: string) => string> = {
  'entity.too.large': (limit) => `request body is too large (at most ${limit})`,
  'entity.parse.failed': () => 'request body is not valid JSON',
  'encoding.unsupported': () => 'request body has an unsupported character encoding',
  'charset.unsupported': () => 'request body has an unsupported charset (use utf-8)',
  'parameters.too.many': () => 'request body has too many fields',
};

/**
 * Everything about HTTP that is not a route: body parsing with a size cap, validation, error
 * shape, CORS, security headers. Shared by main.ts and the end-to-end tests, so tests exercise
 * exactly what production serves. The app must be created with `bodyParser: false`.
 */
const PRIVATE_PATHS = ['/admin', '/console', '/confirm', '/unsubscribe', '/manage'];

function noStore(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Cache-Control', 'no-store');
  next();
}

export function configureApp(app: INestApplication): void {
  const config = app.get(AppConfig);
  const express_ = app as NestExpressApplication;
  express_.set('trust proxy', config.http.trustProxy);
  express_.disable('x-powered-by');
  app.use(helmet({ crossOriginResourcePolicy: { policy: 'same-site' } }));
  // Operators' data and pages reached by a personal token must not stay in a browser's or a proxy's cache.
  for (const path of PRIVATE_PATHS) app.use(path, noStore);
  if (config.http.corsOrigins.length) {
    app.enableCors({ origin: config.http.corsOrigins, methods: ['GET', 'POST'], credentials: false, maxAge: 600 });
  }
  // Webhook signatures are over the exact bytes: /webhooks keeps its body raw, with its own limit.
  app.use('/webhooks', express.raw({ type: () => true, limit: config.deliverability.webhookBodyLimit }));
  app.use(express.json({ limit: config.http.bodyLimit }));
  app.use(express.urlencoded({ limit: config.http.bodyLimit, extended: false, parameterLimit: 50 }));
  // Catches what the parsers above throw, before any route sees the request.
  app.use((error: { type?: string; status?: number }, _request: Request, response: Response, next: NextFunction) => {
    if (!error?.type || !BODY_ERRORS[error.type]) return next(error);
    const body = toErrorBody(new BadRequestException(BODY_ERRORS[error.type](config.http.bodyLimit)));
    body.statusCode = error.status ?? 400;
    body.error = error.status === 413 ? 'Payload Too Large' : body.error;
    response.status(body.statusCode).json(body);
  });
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: (errors) => new BadRequestException(flatten(errors)),
    }),
  );
  app.useGlobalFilters(new HttpErrorFilter(app.get(PageRenderer)));
  if (config.docs.enabled) setupOpenApi(app);
  app.enableShutdownHooks();
}

/** `["email must contain an @", ...]`, nested properties named with their path. */
function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.includes('should not exist')
        ? `${path} is not an accepted field`
        : message.startsWith(error.property)
          ? `${path}${message.slice(error.property.length)}`
          : message,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
