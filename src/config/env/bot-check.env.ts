import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { toInt } from './env-transforms.js';
import { SubscriptionsEnv } from './subscriptions.env.js';

/** The subscribe form's proof-of-work bot check (ALTCHA) and the limit on posts that come without it. */
export class BotCheckEnv extends SubscriptionsEnv {
  /** `altcha`: the form carries a proof-of-work challenge; `off`: the honeypot and rate limits only. */
  @IsIn(['altcha', 'off'])
  BOT_CHECK = 'altcha';

  /** Signs the challenges (at least 32 characters). Required in production while BOT_CHECK=altcha. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  ALTCHA_HMAC_KEY?: string;

  /** PBKDF2 iterations of one attempt; the browser makes about ALTCHA_COUNTER_MAX × 3/4 attempts. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  ALTCHA_COST = 1000;

  /** The solving counter of each challenge is drawn between half this and this. */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(1_000_000)
  ALTCHA_COUNTER_MAX = 4000;

  /** Subscribe posts per client address and hour that come without a solution (no JavaScript, or a robot). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SUBSCRIBE_LIMIT_UNSOLVED_PER_IP_PER_HOUR = 10;
}
