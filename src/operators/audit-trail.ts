import { Injectable } from '@nestjs/common';
import { type AdminAuditEntry, AdminAuditTrail } from '../common/admin-role.js';
import { AuditLogRepository } from './audit-log.repository.js';

/** The guard's and the interceptor's audit records, into `audit_log`. */
@Injectable()
export class AuditTrail extends AdminAuditTrail {
  constructor(private readonly log: AuditLogRepository) {
    super();
  }

  record(entry: AdminAuditEntry): Promise<void> {
    return this.log.insert(entry);
  }
}
