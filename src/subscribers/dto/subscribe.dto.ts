import { Equals, IsDefined, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CONSENT_TEXTS } from '../consent.constants.js';
import { IsListAddress, IsSubscriberName } from './subscriber-field.validators.js';

/** The subscribe form, posted as form fields or JSON. */
export class SubscribeDto {
  @IsDefined({ message: 'email is required' })
  @IsListAddress()
  email: string;

  @IsOptional()
  @IsSubscriberName()
  name?: string;

  @IsDefined({ message: 'consent is required: tick the box to agree to receive the weekly digest' })
  @IsIn(['yes', 'on', 'true', true], {
    message: 'consent must be given: tick the box to agree to receive the weekly digest',
  })
  consent: string | boolean;

  /** The honeypot: hidden from people, filled by robots. */
  @IsOptional()
  @Equals('', { message: 'website must be left empty (it is a trap for spam robots)' })
  website?: string;

  /** The bot check's solution, as the ALTCHA widget fills it in; absent when the page ran without JavaScript. */
  @IsOptional()
  @IsString({ message: 'altcha must be a string' })
  @MaxLength(4000, { message: 'altcha is too long to be a bot-check solution' })
  altcha?: string;

  @IsOptional()
  @IsIn(Object.keys(CONSENT_TEXTS), { message: `formVersion must be one of: ${Object.keys(CONSENT_TEXTS).join(', ')}` })
  formVersion?: string;
}
