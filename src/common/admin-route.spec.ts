import { Controller, Delete, Get, Post, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AdminController, AuditedRead, MinRole } from './admin-controller.decorator.js';
import { roleAtLeast } from './admin-role.js';
import { adminRoute } from './admin-route.js';

@AdminController('things', { changes: 'editor' })
class ThingsController {
  @Get()
  list() {}

  @Get('export')
  @MinRole('owner')
  @AuditedRead()
  export() {}

  @Post(':id/approve')
  approve() {}

  @Delete(':id')
  @MinRole('owner')
  erase() {}
}

@AdminController('others')
class OthersController {
  @Post()
  create() {}
}

@Controller('plain')
class PlainController {
  @Post()
  create() {}
}

const context = (controller: object, handler: string, method: string, params: Record<string, string> = {}) =>
  ({
    getClass: () => controller.constructor,
    getHandler: () => (controller as Record<string, unknown>)[handler],
    switchToHttp: () => ({ getRequest: () => ({ method, params }) }),
  }) as unknown as ExecutionContext;

describe(adminRoute.name, () => {
  const sut = (...args: Parameters<typeof context>) => adminRoute(new Reflector(), context(...args));

  it('needs a viewer for a read and leaves reads out of the audit', () => {
    expect(sut(new ThingsController(), 'list', 'GET')).toEqual({
      neededRole: 'viewer',
      audited: false,
      action: 'things.list',
      target: null,
    });
  });

  it("needs the controller's change role for a change, audited with its target", () => {
    expect(sut(new ThingsController(), 'approve', 'POST', { id: 'abc' })).toEqual({
      neededRole: 'editor',
      audited: true,
      action: 'things.approve',
      target: 'abc',
    });
  });

  it('lets @MinRole override the method, and @AuditedRead put a read in the audit', () => {
    expect(sut(new ThingsController(), 'export', 'GET')).toMatchObject({ neededRole: 'owner', audited: true });
    expect(sut(new ThingsController(), 'erase', 'DELETE', { id: 'abc' }).neededRole).toBe('owner');
  });

  it('closes a change to owners when the controller says nothing, and on a controller outside AdminController', () => {
    expect(sut(new OthersController(), 'create', 'POST').neededRole).toBe('owner');
    expect(sut(new PlainController(), 'create', 'POST')).toMatchObject({ neededRole: 'owner', action: 'admin.create' });
  });
});

describe(roleAtLeast.name, () => {
  it('orders viewer < editor < owner', () => {
    expect(roleAtLeast('owner', 'editor')).toBe(true);
    expect(roleAtLeast('editor', 'editor')).toBe(true);
    expect(roleAtLeast('editor', 'owner')).toBe(false);
    expect(roleAtLeast('viewer', 'editor')).toBe(false);
  });
});
