import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { ADMIN_ROLES, type AdminRole } from '../common/admin-role.js';
import { AuditLogRepository } from './audit-log.repository.js';
import { newOperatorToken } from './operator-token.js';
import { OperatorsRepository } from './operators.repository.js';

const USAGE = 'usage: npm run operator:create -- --email <address> [--role owner|editor|viewer] [--token-name <name>]';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A mistake on the command line: the CLI prints the message and the usage, no stack. */
export class OperatorCliError extends Error {}

export interface OperatorCliOptions {
  email: string;
  role: AdminRole;
  tokenName: string;
}

export function parseOperatorCliArgs(argv: string[]): OperatorCliOptions {
  let values: { email?: string; role?: string; 'token-name'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { email: { type: 'string' }, role: { type: 'string' }, 'token-name': { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw new OperatorCliError(`${(error as Error).message}\n${USAGE}`);
  }
  const email = values.email?.trim() ?? '';
  if (!EMAIL.test(email) || email.length > 254)
    throw new OperatorCliError(`--email must be an email address\n${USAGE}`);
  const role = values.role ?? 'owner';
  if (!(ADMIN_ROLES as readonly string[]).includes(role))
    throw new OperatorCliError(`--role must be one of: ${ADMIN_ROLES.join(', ')}\n${USAGE}`);
  const tokenName = values['token-name']?.trim() || 'created by operator:create';
  if (tokenName.length > 100) throw new OperatorCliError('--token-name must be at most 100 characters');
  return { email, role: role as AdminRole, tokenName };
}

/**
 * Creates the operator and a first personal token, and returns what to print: the token, once.
 * Refuses an address that is already an operator (an owner issues further tokens through the API).
 */
export async function createOperator(dataSource: DataSource, options: OperatorCliOptions): Promise<string> {
  const operators = new OperatorsRepository(dataSource);
  const operator = await operators.insert(options.email, options.role);
  if (!operator) throw new OperatorCliError(`${options.email} is already an operator`);
  const { token, hash } = newOperatorToken();
  await operators.insertToken(operator.id, options.tokenName, hash);
  // Outside any request, so recorded here: the log names the CLI as the one who acted.
  await new AuditLogRepository(dataSource).insert({
    principal: { operatorId: null, label: 'operator:create', role: 'owner' },
    ip: null,
    action: 'operators.create',
    target: operator.id,
    outcome: 'ok',
    status: 201,
  });
  return [
    `operator ${operator.id} (${operator.role}) created`,
    `token (shown this once, keep it secret): ${token}`,
  ].join('\n');
}
