import { Validator } from '@seriousme/openapi-schema-validator';
import request from 'supertest';
import { openApiPath, registeredRoutes } from './support/route-walker.js';
import { TestApp } from './support/test-app.js';

const TOKEN = 'o'.repeat(40);

type Operation = {
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, unknown>;
    schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }>;
  };
};

describe('OpenAPI document', () => {
  let app: TestApp;
  let document: Document;

  beforeAll(async () => {
    app = await TestApp.start({ env: { ADMIN_TOKENS: TOKEN } });
    document = (await request(app.http).get('/docs-json').expect(200).expect('Content-Type', /json/)).body;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toMatch(/^3\./);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // Every $ref points somewhere.
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('lists every admin route the app serves, each behind the bearer scheme and with its 401', () => {
    expect(document.components.securitySchemes['admin-token']).toMatchObject({ type: 'http', scheme: 'bearer' });
    const adminRoutes = registeredRoutes(app.app).filter((route) => route.path.startsWith('/admin/'));
    expect(adminRoutes.length).toBeGreaterThanOrEqual(12);
    const problems: string[] = [];
    for (const route of adminRoutes) {
      const operation = document.paths[openApiPath(route.path)]?.[route.method];
      if (!operation) problems.push(`${route.method} ${route.path} is not in the document`);
      else if (JSON.stringify(operation.security) !== JSON.stringify([{ 'admin-token': [] }]))
        problems.push(`${route.method} ${route.path} lacks the bearer scheme`);
      else if (
        operation.responses['401']?.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorBodyDto'
      )
        problems.push(`${route.method} ${route.path} lacks its 401`);
    }
    expect(problems).toEqual([]);
  });

  it('declares the one error shape, and the public routes need no token', () => {
    expect(document.components.schemas.ErrorBodyDto).toMatchObject({ required: ['statusCode', 'error', 'message'] });
    expect(Object.keys(document.components.schemas.ErrorBodyDto.properties).sort()).toEqual([
      'details',
      'error',
      'message',
      'statusCode',
    ]);
    expect(
      document.paths['/admin/subscribers/{id}'].get.responses['404'].content?.['application/json'].schema?.$ref,
    ).toBe('#/components/schemas/ErrorBodyDto');
    expect(document.paths['/subscribe'].post.security).toBeUndefined();
  });

  it('describes the subscribers API with its query parameters and response schemas', () => {
    const list = document.paths['/admin/subscribers'].get as Operation & { parameters: { name: string; in: string }[] };
    expect(list.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'query:cursor',
      'query:limit',
      'query:q',
      'query:status',
    ]);
    expect(document.components.schemas.SubscriberDto.properties).not.toHaveProperty('unsubscribeToken');
    expect(Object.keys(document.paths['/admin/subscribers/import'].post)).toContain('requestBody');
  });

  it('serves the interactive page at /docs', async () => {
    await request(app.http)
      .get('/docs')
      .redirects(1)
      .expect(200)
      .expect('Content-Type', /html/)
      .expect(/swagger/i);
  });
});
