import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Challenge } from 'altcha-lib';
import type { Response } from 'express';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../../common/project-root.js';
import { BotCheck } from './bot-check.js';

/** `altcha`'s dist/ folder, wherever npm put the package. */
const widget = path.join(path.dirname(createRequire(import.meta.url).resolve('altcha')), '..');

/**
 * What the subscribe page loads for the bot check, by name: our loader, and the widget's own
 * files straight from node_modules (never from a CDN). The "external" build keeps styles and the
 * worker in files of their own, so the page's Content-Security-Policy needs no exception.
 */
const ASSETS: Record<string, string> = {
  'bot-check.js': path.join(projectRoot(), 'templates', 'assets', 'bot-check.js'),
  'altcha.js': path.join(widget, 'external', 'altcha.min.js'),
  'altcha.css': path.join(widget, 'external', 'altcha.css'),
  'altcha-pbkdf2.worker.js': path.join(widget, 'workers', 'pbkdf2.js'),
};

@Controller()
export class BotCheckController {
  constructor(private readonly botCheck: BotCheck) {}

  @Get('subscribe/challenge')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: "A proof-of-work challenge for the subscribe form's ALTCHA widget (404 with BOT_CHECK=off)",
  })
  @ApiOkResponse({ description: 'An ALTCHA v2 challenge: `{ parameters, signature }`' })
  async challenge(): Promise<Challenge> {
    const challenge = await this.botCheck.challenge();
    if (!challenge) throw new NotFoundException('the bot check is off');
    return challenge;
  }

  @Get('assets/:file')
  @ApiExcludeEndpoint()
  asset(@Param('file') file: string, @Res() response: Response): void {
    const found = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!found) throw new NotFoundException('no such file');
    // The embedded form loads these from the blog's pages, which may be on another site.
    response.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    response.sendFile(found, { maxAge: '1d' });
  }
}
