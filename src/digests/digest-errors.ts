import { ConflictException, NotFoundException } from '@nestjs/common';

/** Typed domain errors; as HttpExceptions the global filter maps them once (404 / 409 with this message). */
export class DigestNotFoundError extends NotFoundException {
  constructor(id: string) {
    super(`there is no digest ${id}`);
  }
}

/** The digest is not in a state that allows what was asked. */
export class DigestStateError extends ConflictException {
  constructor(message: string) {
    super(message);
  }
}

/** The pre-release check found something that would hurt delivery. */
export class DigestRefusedError extends ConflictException {
  constructor(readonly problems: string[]) {
    super(`the digest cannot be released: ${problems.join('; ')}`);
  }
}

/** The period already has its digest: one per period, whoever asks. */
export class DigestPeriodTakenError extends ConflictException {
  constructor(readonly digestId: string) {
    super(`this period already has its digest ${digestId}`);
  }
}
