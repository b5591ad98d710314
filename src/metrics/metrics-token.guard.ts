import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** With METRICS_TOKEN set, /metrics wants it as a bearer token; without, /metrics is open. */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly token?: Buffer;

  constructor(config: AppConfig) {
    this.token = config.metrics.token ? digest(config.metrics.token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.token) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.get('authorization') ?? '');
    // Hashed first, so the comparison takes the same time whatever the length presented.
    if (match && timingSafeEqual(this.token, digest(match[1]))) return true;
    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="tidings-metrics"');
    throw new UnauthorizedException('a metrics bearer token is required (Authorization: Bearer <METRICS_TOKEN>)');
  }
}
