import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { ConsoleSignInRequired } from './console-request.js';

/** A console page asked without a session: to the sign-in page (a change gets its 401 instead). */
@Catch(ConsoleSignInRequired)
export class ConsoleSignInFilter implements ExceptionFilter {
  constructor(private readonly config: AppConfig) {}

  catch(_exception: ConsoleSignInRequired, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().redirect(303, this.config.url('/console/sign-in'));
  }
}
