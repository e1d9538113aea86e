import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ATTRIBUTE_TYPES, AttributeType } from '@ce/db';

export class CreateAttributeDefinitionDto {
  @ApiProperty({ example: 'plan', description: 'lower_snake_case; the key in a lead\'s `attributes`.' })
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, { message: 'must be lower_snake_case, starting with a letter (63 characters at most)' })
  name!: string;

  @ApiPropertyOptional({ example: 'Subscription plan' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  label?: string;

  @ApiProperty({ enum: ATTRIBUTE_TYPES, example: 'enum' })
  @IsIn(ATTRIBUTE_TYPES)
  type!: AttributeType;

  @ApiPropertyOptional({ default: false, description: 'Every new lead must have it.' })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['free', 'pro', 'enterprise'], description: 'The allowed values (enum only).' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  options?: string[];
}

export class UpdateAttributeDefinitionDto {
  @ApiPropertyOptional({ example: 'Subscription plan' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  label?: string;

  @ApiPropertyOptional({ type: [String], description: 'Enum only: values to add (existing values cannot be removed).' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  addOptions?: string[];
}

export class AttributeDefinitionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  label!: string | null;

  @ApiProperty({ enum: ATTRIBUTE_TYPES })
  type!: AttributeType;

  @ApiProperty()
  required!: boolean;

  @ApiPropertyOptional({ nullable: true, type: [String] })
  options!: string[] | null;

  @ApiProperty()
  createdAt!: Date;
}
