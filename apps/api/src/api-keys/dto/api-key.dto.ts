import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ROLES, Role } from '@ce/db';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Marketing team', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'marketer' })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Only with the role sales: the rep the key belongs to. A sales key sees and decides only its rep\'s leads; a sales key of no rep sees none.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be the id (a UUID) of a sales rep' })
  salesRepId?: string | null;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ example: 'ce_Ab12Cd', description: 'The first characters of the key, to tell keys apart.' })
  prefix!: string;

  @ApiProperty()
  createdAt!: Date;

  @ApiPropertyOptional({ nullable: true, type: Date })
  revokedAt!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The sales rep a sales key belongs to; null for other keys and sales keys of no rep.' })
  salesRepId!: string | null;
}

export class IssuedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key. It is shown only in this response and cannot be recovered.' })
  key!: string;
}
