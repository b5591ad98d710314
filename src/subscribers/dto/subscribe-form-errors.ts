import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { SubscribeDto } from './subscribe.dto.js';

/** The fields the page shows; anything else wrong (the honeypot, an unknown field) is said once above the form. */
const SHOWN = ['email', 'name', 'consent'] as const;

export interface SubscribeFormErrors {
  /** The first problem of each field shown on the page. */
  fields: Partial<Record<(typeof SHOWN)[number], string>>;
  /** Problems with no field of their own on the page. */
  other: string[];
  /** Every message, in order: the JSON answer's words. */
  all: string[];
}

/**
 * Validates the subscribe body as the global ValidationPipe would (same DTO, whitelist,
 * forbidden extra fields) but returns the problems by field, so a browser gets its form back with
 * a message at each field instead of an error page. Null when the body is valid.
 */
export async function checkSubscribeBody(
  body: unknown,
): Promise<{ dto: SubscribeDto } | { errors: SubscribeFormErrors }> {
  const dto = plainToInstance(SubscribeDto, body && typeof body === 'object' ? body : {});
  const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (!problems.length) return { dto };
  const errors: SubscribeFormErrors = { fields: {}, other: [], all: [] };
  for (const problem of problems) {
    for (const message of Object.values(problem.constraints ?? {})) {
      const said = message.includes('should not exist') ? `${problem.property} is not an accepted field` : message;
      errors.all.push(said);
      const field = SHOWN.find((name) => name === problem.property);
      if (!field) errors.other.push(said);
      else errors.fields[field] ??= said;
    }
  }
  return { errors };
}
