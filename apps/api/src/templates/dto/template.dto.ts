import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class CreateTemplateDto {
  @ApiProperty({ example: 'Welcome', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'Welcome, {{lead.firstName}}!', description: 'Handlebars; not HTML-escaped.' })
  @IsString()
  @Length(1, 1000)
  subject!: string;

  @ApiProperty({
    example: '<p>Hi {{lead.firstName}}, <a href="https://example.com/start">get started</a>.</p>',
    description: 'Handlebars; variables are HTML-escaped. Every http(s) link is tracked when sent.',
  })
  @IsString()
  @Length(1, 500_000)
  html!: string;

  @ApiPropertyOptional({ description: 'Plain-text part; made from the HTML when absent.' })
  @IsOptional()
  @IsString()
  @MaxLength(500_000)
  text?: string;
}

export class TemplateDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty()
  html!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  text!: string | null;

  @ApiProperty()
  createdAt!: Date;
}
