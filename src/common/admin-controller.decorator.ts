import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { AdminAuthGuard } from './admin-auth.guard.js';

/** A controller under /admin that needs an admin bearer token: the guard cannot be forgotten. */
export function AdminController(path: string): ClassDecorator {
  return applyDecorators(Controller(`admin/${path}`), UseGuards(AdminAuthGuard));
}
