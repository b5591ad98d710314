import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { type Dependency, OUTAGE_RETRY_AFTER_S, outageOf } from '../common/outage.js';
import { PageRenderer } from '../rendering/page-renderer.js';

/** The one JSON shape of every error: `{ statusCode, error, message }`, `message` a sentence a person can act on. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: string[];
}

/**
 * Maps every exception once. Expected ones (HttpException) keep their status and message;
 * anything else is logged with its stack and answered with a bare 500 that leaks nothing.
 * Browsers posting a form get the same message as an HTML page.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  constructor(private readonly pages: PageRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<Request>();
    const response = context.getResponse<Response>();
    const outage = exception instanceof HttpException ? null : outageOf(exception);
    if (outage) return this.unavailable(outage, exception, request, response);
    const body = toErrorBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(
        `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? 'unmatched route'}: ${(exception as Error)?.stack ?? String(exception)}`,
      );
    }
    if (response.headersSent) return;
    const retryAfter = (exception as HttpException)?.getResponse?.() as { retryAfter?: number } | undefined;
    if (retryAfter?.retryAfter) response.setHeader('Retry-After', String(retryAfter.retryAfter));
    if (wantsHtml(request)) {
      response
        .status(body.statusCode)
        .type('html')
        .send(
          this.pages.message(body.error, [body.message], { href: request.get('referer') ?? '/', label: 'Go back' }),
        );
    } else {
      response.status(body.statusCode).json(body);
    }
  }

  /**
   * A dependency is down: not a bug, so one log line and no stack, and a 503 with Retry-After.
   * Browsers get a page in plain words; API clients the usual error shape.
   */
  private unavailable(dependency: Dependency, exception: unknown, request: Request, response: Response): void {
    const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
    this.logger.warn(`${request.method} ${route}: ${dependency} unavailable (${(exception as Error)?.message})`);
    if (response.headersSent) return;
    response.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_S));
    const status = HttpStatus.SERVICE_UNAVAILABLE;
    if (wantsHtml(request)) {
      const subscribing = request.method === 'POST' && request.path.startsWith('/subscribe');
      const lines = subscribing
        ? ['We could not take your subscription right now.', 'Please try again in a minute.']
        : ['This page is not available right now.', 'Please try again in a minute.'];
      response
        .status(status)
        .type('html')
        .send(
          this.pages.message('Please try again in a minute', lines, {
            href: request.get('referer') ?? '/',
            label: 'Go back',
          }),
        );
      return;
    }
    const body: ErrorBody = {
      statusCode: status,
      error: STATUS_CODES[status]!,
      message: `the ${dependency === 'redis' ? 'queue (Redis)' : 'database'} is unavailable; try again in ${OUTAGE_RETRY_AFTER_S} s`,
    };
    response.status(status).json(body);
  }
}

export function toErrorBody(exception: unknown): ErrorBody {
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : (statusOfHttpError(exception) ?? HttpStatus.INTERNAL_SERVER_ERROR);
  const error = STATUS_CODES[status] ?? 'Error';
  if (status >= 500 && !(exception instanceof HttpException))
    return { statusCode: status, error, message: 'Something went wrong on our side; it has been logged.' };
  const raw = exception instanceof HttpException ? exception.getResponse() : (exception as Error).message;
  const messages =
    typeof raw === 'string'
      ? [raw]
      : ([] as string[]).concat((raw as { message?: string | string[] }).message ?? error);
  return {
    statusCode: status,
    error,
    message: messages.join('; '),
    ...(messages.length > 1 ? { details: messages } : {}),
  };
}

/** Errors from Express middleware (body-parser) carry their status on the error itself. */
function statusOfHttpError(exception: unknown): number | undefined {
  const status = (exception as { status?: unknown; expose?: unknown })?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && (exception as { expose?: boolean }).expose
    ? status
    : undefined;
}

/** A browser (it asks for HTML first), as opposed to a script or a mailbox provider. */
function wantsHtml(request: Request): boolean {
  if (request.path.startsWith('/admin') || request.is('json')) return false;
  return request.accepts(['json', 'html']) === 'html';
}
