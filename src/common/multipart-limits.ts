import type { MulterModuleOptions } from '@nestjs/platform-express';
import type { AppConfig } from '../config/app-config.js';

/**
 * Limits for a multipart form of a few small text fields and no file (the RFC 8058 one-click
 * POST): multer buffers field values in memory, so without these one request could hold
 * gigabytes. At most `fields` values of BODY_LIMIT bytes each are ever held for a request.
 */
export function smallFormLimits(config: AppConfig): MulterModuleOptions {
  return {
    limits: {
      fields: 5,
      fieldSize: config.http.bodyLimitBytes,
      fieldNameSize: 100,
      files: 0,
      fileSize: 0,
      parts: 5,
      headerPairs: 20,
    },
  };
}
