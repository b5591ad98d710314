import { Injectable } from '@nestjs/common';
import { type Challenge, createChallenge, type Payload, randomInt, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { AppConfig } from '../../config/app-config.js';
import { UsedChallenges } from './used-challenges.js';

/** The one algorithm we hand out; the widget solves it with WebCrypto in a worker. */
const ALGORITHM = 'PBKDF2/SHA-256';
/** The challenge is fetched when the reader presses Subscribe, so minutes are plenty. */
export const CHALLENGE_LIFETIME_MINUTES = 10;

/**
 * What a subscribe post's bot-check field is worth. `unsolved` is a post without a solution: a
 * reader without JavaScript (or a robot); it is accepted, under a stricter per-address limit.
 */
export type BotCheckVerdict = { kind: 'off' | 'unsolved' | 'solved' } | { kind: 'refused'; problem: string };

const refused = (problem: string): BotCheckVerdict => ({ kind: 'refused', problem });
const AGAIN = 'press Subscribe again for a new one';

/**
 * The subscribe form's proof of work (ALTCHA): challenges signed with ALTCHA_HMAC_KEY, whose
 * solving counter is drawn at random so that the work asked is the same for every reader.
 */
@Injectable()
export class BotCheck {
  constructor(
    private readonly config: AppConfig,
    private readonly used: UsedChallenges,
  ) {}

  get enabled(): boolean {
    return this.config.botCheck.mode === 'altcha';
  }

  /** A fresh challenge for the widget; undefined while BOT_CHECK=off. */
  async challenge(): Promise<Challenge | undefined> {
    const check = this.config.botCheck;
    if (check.mode === 'off') return undefined;
    return createChallenge({
      algorithm: ALGORITHM,
      cost: check.cost,
      counter: randomInt(check.counterMax, Math.ceil(check.counterMax / 2)),
      deriveKey,
      expiresAt: new Date(Date.now() + CHALLENGE_LIFETIME_MINUTES * 60_000),
      hmacSignatureSecret: check.hmacKey,
    });
  }

  /**
   * Refuses only what cannot come from a reader's widget: a solution that is unreadable, forged,
   * expired or already used. No solution at all is `unsolved`, never refused, so that the form
   * keeps working without JavaScript.
   */
  async verify(field: string | undefined): Promise<BotCheckVerdict> {
    const check = this.config.botCheck;
    if (check.mode === 'off') return { kind: 'off' };
    if (!field) return { kind: 'unsolved' };
    const payload = readPayload(field);
    if (!payload) return refused('altcha is not a bot-check solution from this form; reload the page and try again');
    const { challenge, solution } = payload;
    const result = await verifySolution({ challenge, solution, deriveKey, hmacSignatureSecret: check.hmacKey }).catch(
      () => undefined,
    );
    if (result?.expired)
      return refused(`altcha: the bot check expired (it lasts ${CHALLENGE_LIFETIME_MINUTES} minutes); ${AGAIN}`);
    if (!result?.verified) return refused('altcha does not solve its bot check; reload the page and try again');
    const expiresAt = new Date((challenge.parameters.expiresAt ?? 0) * 1000);
    if (!(await this.used.claim(challenge.signature!, expiresAt)))
      return refused(`altcha: this bot check was already used; ${AGAIN}`);
    return { kind: 'solved' };
  }
}

/** The widget's field: base64 of `{ challenge, solution }`. Undefined for anything else. */
function readPayload(field: string): Payload | undefined {
  try {
    const payload = JSON.parse(Buffer.from(field, 'base64').toString('utf8')) as Partial<Payload> | null;
    const parameters = payload?.challenge?.parameters;
    if (!parameters || typeof parameters !== 'object' || typeof payload.challenge?.signature !== 'string')
      return undefined;
    if (!payload.solution || typeof payload.solution !== 'object') return undefined;
    return payload as Payload;
  } catch {
    return undefined;
  }
}
