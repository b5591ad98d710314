import { Module } from '@nestjs/common';
import { PageRenderer } from './page-renderer.js';
import { TemplateEngine } from './template-engine.js';

@Module({ providers: [TemplateEngine, PageRenderer], exports: [TemplateEngine, PageRenderer] })
export class RenderingModule {}
