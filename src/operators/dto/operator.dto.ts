import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ADMIN_ROLES, type AdminRole } from '../../common/admin-role.js';

const roleMessage = { message: `role must be one of: ${ADMIN_ROLES.join(', ')}` };
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** POST /admin/operators */
export class CreateOperatorDto {
  @ApiProperty({ format: 'email', maxLength: 254 })
  @Transform(trim)
  @IsString({ message: 'email must be text' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ enum: ADMIN_ROLES })
  @IsIn(ADMIN_ROLES, roleMessage)
  role!: AdminRole;
}

/** PATCH /admin/operators/:id */
export class UpdateOperatorDto {
  @ApiPropertyOptional({ enum: ADMIN_ROLES })
  @IsOptional()
  @IsIn(ADMIN_ROLES, roleMessage)
  role?: AdminRole;

  @ApiPropertyOptional({ description: 'true disables the operator and every token of theirs; false enables again' })
  @IsOptional()
  @IsBoolean({ message: 'disabled must be true or false' })
  disabled?: boolean;
}

/** POST /admin/operators/:id/tokens */
export class CreateTokenDto {
  @ApiProperty({ minLength: 1, maxLength: 100, description: 'What the token is for ("deploy script")' })
  @Transform(trim)
  @IsString({ message: 'name must be text' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name!: string;
}
