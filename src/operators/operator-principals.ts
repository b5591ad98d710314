import { Injectable } from '@nestjs/common';
import { type AdminPrincipal, AdminPrincipals } from '../common/admin-role.js';
import { OperatorsRepository } from './operators.repository.js';

/** The guard's look-up of personal tokens: every request asks PostgreSQL, so a revocation holds at once. */
@Injectable()
export class OperatorPrincipals extends AdminPrincipals {
  constructor(private readonly operators: OperatorsRepository) {
    super();
  }

  byTokenHash(hash: Buffer): Promise<AdminPrincipal | null> {
    return this.operators.principalByTokenHash(hash);
  }
}
