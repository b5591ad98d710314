import type { INestApplication } from '@nestjs/common';
import {
  ApiProperty,
  ApiPropertyOptional,
  DocumentBuilder,
  getSchemaPath,
  type OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';

/** The bearer scheme of every /admin route, as named in the document. */
export const ADMIN_BEARER = 'admin-token';
/** The scheme of /metrics, which asks for it only when METRICS_TOKEN is set. */
export const METRICS_BEARER = 'metrics-token';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The one JSON shape of every error (see HttpErrorFilter), as a schema routes can point at. */
export class ErrorBodyDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ example: 'the subscriber id must be a UUID', description: 'A sentence a person can act on.' })
  message: string;

  @ApiPropertyOptional({ type: [String], description: 'Each problem, when there are several.' })
  details?: string[];
}

/**
 * OpenAPI at /docs (UI) and /docs-json. The project is ESM, so the swagger CLI plugin cannot
 * infer anything: routes describe themselves with decorators. The bearer requirement and the
 * 401 and 403 answers are added here to every /admin operation, since AdminController puts the
 * guard (token, then role) on all of them; a route cannot be documented as public while it is not.
 */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tidings')
    .setDescription(
      'Weekly email digest of a blog. Everything under /admin needs `Authorization: Bearer <token>`: an operator’s personal token (viewer, editor or owner) or one of ADMIN_TOKENS (owner).',
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: "An operator's personal token, or one of ADMIN_TOKENS" },
      ADMIN_BEARER,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when it is set' }, METRICS_BEARER)
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorBodyDto] });
  const content = { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodyDto) } } };
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/admin/') && path !== '/admin') continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.security = [{ [ADMIN_BEARER]: [] }];
      operation.responses['401'] ??= { description: 'No admin bearer token, or not a valid one', content };
      operation.responses['403'] ??= { description: "The token's role is below the least role of this route", content };
    }
  }
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Tidings API' });
  return document;
}
