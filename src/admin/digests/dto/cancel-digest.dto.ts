import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CancelDigestDto {
  /** Kept with the digest so the next operator knows why. */
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason?: string;
}
