import { Module } from '@nestjs/common';
import { FaviconController } from './favicon.controller.js';
import { PageRenderer } from './page-renderer.js';
import { TemplateEngine } from './template-engine.js';

@Module({
  controllers: [FaviconController],
  providers: [TemplateEngine, PageRenderer],
  exports: [TemplateEngine, PageRenderer],
})
export class RenderingModule {}
