import type { INestApplication } from '@nestjs/common';

export interface RegisteredRoute {
  method: string;
  /** As registered with Express: `/admin/subscribers/:id`. */
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * Every route the running app answers, read from Express 5's router (`instance.router.stack`),
 * nested routers included: what is really served, whichever module or decorator added it.
 */
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const instance = app.getHttpAdapter().getInstance() as { router?: { stack: Layer[] } };
  if (!instance.router?.stack) throw new Error('no Express 5 router found on the HTTP adapter');
  const routes: RegisteredRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of ([] as string[]).concat(layer.route.path)) {
          for (const method of Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m])) {
            routes.push({ method: method === '_all' ? 'all' : method, path: prefix + path });
          }
        }
      } else if (layer.handle?.stack) {
        // A mounted router; Express 5 keeps no readable mount path, so nested routes show as registered.
        walk(layer.handle.stack, prefix);
      }
    }
  };
  walk(instance.router.stack, '');
  return routes;
}

/** A concrete URL for a route pattern: every `:param` and `*wildcard` filled with a UUID. */
export function concretePath(path: string, value = '00000000-0000-4000-8000-000000000000'): string {
  return path.replace(/[:*]\w+/g, value).replace(/[{}]/g, '');
}

/** `/admin/subscribers/:id` as OpenAPI writes it: `/admin/subscribers/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}
