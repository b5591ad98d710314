import { ConflictException, Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import type { AdminRole } from '../common/admin-role.js';
import { AppConfig } from '../config/app-config.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { ConsoleSessions } from './console-sessions.js';
import { newOperatorToken } from './operator-token.js';
import { type OperatorTokenView, type OperatorView, OperatorsRepository } from './operators.repository.js';

export interface IssuedToken extends OperatorTokenView {
  /** The token itself: shown this once, never stored. */
  token: string;
}

/** Operators and their personal tokens; makes OWNER_EMAIL the first owner on a start that finds none. */
@Injectable()
export class OperatorsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(OperatorsService.name);

  constructor(
    private readonly operators: OperatorsRepository,
    private readonly audit: AuditLogRepository,
    private readonly config: AppConfig,
    private readonly sessions: ConsoleSessions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.admin.ownerEmail;
    if (!email) return;
    const created = await this.operators.insertFirstOwner(email);
    if (!created) return;
    // The id only: an address stays out of the logs.
    this.logger.log(`OWNER_EMAIL made the first owner, operator ${created.id}`);
    await this.audit.insert({
      principal: { operatorId: null, label: 'OWNER_EMAIL', role: 'owner' },
      ip: null,
      action: 'operators.create',
      target: created.id,
      outcome: 'ok',
      status: 201,
    });
  }

  async create(email: string, role: AdminRole): Promise<OperatorView> {
    const operator = await this.operators.insert(email, role);
    if (!operator) throw new ConflictException('an operator with this email already exists');
    return operator;
  }

  list(): Promise<OperatorView[]> {
    return this.operators.list();
  }

  async update(id: string, change: { role?: AdminRole; disabled?: boolean }): Promise<OperatorView> {
    const result = await this.operators.update(id, change);
    if (result === 'last-owner')
      throw new ConflictException('this would leave no enabled owner: make another operator owner first');
    if (!result) throw new NotFoundException(`no operator ${id}`);
    return result;
  }

  async issueToken(operatorId: string, name: string): Promise<IssuedToken> {
    await this.existing(operatorId);
    const { token, hash } = newOperatorToken();
    return { ...(await this.operators.insertToken(operatorId, name, hash)), token };
  }

  async tokens(operatorId: string): Promise<OperatorTokenView[]> {
    await this.existing(operatorId);
    return this.operators.tokens(operatorId);
  }

  async revokeToken(operatorId: string, tokenId: string): Promise<OperatorTokenView> {
    const revoked = await this.operators.revokeToken(operatorId, tokenId);
    if (!revoked) throw new NotFoundException(`operator ${operatorId} has no token ${tokenId}`);
    return revoked;
  }

  /** Ends every console session of the operator at once (their next request is signed out). */
  async revokeSessions(operatorId: string): Promise<{ revoked: number }> {
    await this.existing(operatorId);
    return { revoked: await this.sessions.revokeAllOf(operatorId) };
  }

  private async existing(id: string): Promise<OperatorView> {
    const operator = await this.operators.byId(id);
    if (!operator) throw new NotFoundException(`no operator ${id}`);
    return operator;
  }
}
