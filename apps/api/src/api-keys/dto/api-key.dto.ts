import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { ROLES, Role } from '@ce/db';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Marketing team', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'marketer' })
  @IsIn(ROLES)
  role!: Role;
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
}

export class IssuedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key. It is shown only in this response and cannot be recovered.' })
  key!: string;
}
