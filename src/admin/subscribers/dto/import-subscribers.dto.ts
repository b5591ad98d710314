import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** POST /admin/subscribers/import, in the query string (the body is the file). */
export class ImportSubscribersQueryDto {
  @ApiPropertyOptional({
    description:
      'true: the subscribers already agreed elsewhere and are confirmed at once, with consentNote as proof. Otherwise each gets the opt-in mail.',
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'consentGiven must be true or false' })
  consentGiven?: boolean;

  @ApiPropertyOptional({
    maxLength: 2000,
    description:
      'Required with consentGiven=true: where, when and to what wording these subscribers agreed. Stored as the consent text.',
  })
  @ValidateIf((query: ImportSubscribersQueryDto) => query.consentGiven === true || query.consentNote !== undefined)
  @IsString({ message: 'consentNote must be text' })
  @IsNotEmpty({
    message:
      'consentNote is required with consentGiven=true: say where, when and to what wording these subscribers agreed',
  })
  @MaxLength(2000, { message: 'consentNote must be at most 2000 characters' })
  consentNote?: string;
}

export class InvalidRowDto {
  @ApiProperty({ description: 'Line in the file, counting the header as line 1.' })
  line: number;

  @ApiProperty({ example: 'email must contain an @' })
  reason: string;
}

export class ImportResultDto {
  @ApiProperty({ description: 'New subscribers added.' })
  imported: number;

  @ApiProperty({
    description: 'Addresses already held, left exactly as they were (a subscriber who left stays unsubscribed).',
  })
  alreadyPresent: number;

  @ApiProperty({ description: 'Erased subscribers, refused: only their own new opt-in brings them back.' })
  suppressed: number;

  @ApiProperty({ description: 'Rows repeating an address seen earlier in the file.' })
  duplicates: number;

  @ApiProperty({ description: 'Rows refused; the first 100 are listed in invalidRows.' })
  invalid: number;

  @ApiProperty({ type: () => [InvalidRowDto] })
  invalidRows: InvalidRowDto[];

  @ApiProperty({ enum: ['pending', 'confirmed'], description: 'The status imported subscribers start in.' })
  status: 'pending' | 'confirmed';
}
