import { IsDefined, IsString, MaxLength } from 'class-validator';

/** POST /admin/digests/:id/test: one copy to an operator's address; checked by checkEmailAddress in the service. */
export class TestSendDto {
  @IsDefined({ message: 'to is required' })
  @IsString({ message: 'to must be text' })
  @MaxLength(320, { message: 'to is too long (at most 254 characters)' })
  to: string;
}
