import { Global, Module } from '@nestjs/common';
import { AdminAuditTrail, AdminPrincipals } from '../common/admin-role.js';
import { AuditController } from './audit.controller.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { AuditTrail } from './audit-trail.js';
import { ConsoleSessions } from './console-sessions.js';
import { ConsoleSessionsRepository } from './console-sessions.repository.js';
import { OperatorPrincipals } from './operator-principals.js';
import { OperatorsController } from './operators.controller.js';
import { OperatorsRepository } from './operators.repository.js';
import { OperatorsService } from './operators.service.js';

/**
 * Operators, their tokens and the audit log. Global because the admin guard and audit
 * interceptor (common/) sit on controllers in many feature modules and reach this module's
 * implementations through the abstract AdminPrincipals and AdminAuditTrail.
 */
@Global()
@Module({
  controllers: [OperatorsController, AuditController],
  providers: [
    OperatorsRepository,
    AuditLogRepository,
    OperatorsService,
    ConsoleSessionsRepository,
    ConsoleSessions,
    { provide: AdminPrincipals, useClass: OperatorPrincipals },
    { provide: AdminAuditTrail, useClass: AuditTrail },
  ],
  // The console (a higher layer) signs operators in and out through ConsoleSessions, and shows the audit log.
  exports: [AdminPrincipals, AdminAuditTrail, ConsoleSessions, AuditLogRepository],
})
export class OperatorsModule {}
