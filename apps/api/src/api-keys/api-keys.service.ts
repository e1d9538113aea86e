import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { issueApiKey } from '@ce/auth';
import { ApiKey } from '@ce/db';
import { NotFoundError } from '@ce/errors';
import { ApiKeyDto, CreateApiKeyDto, IssuedApiKeyDto } from './dto/api-key.dto';

@Injectable()
export class ApiKeysService {
  constructor(private readonly em: EntityManager) {}

  async create(input: CreateApiKeyDto): Promise<IssuedApiKeyDto> {
    const issued = await issueApiKey(this.em, input.name, input.role);
    return { ...issued, revokedAt: null };
  }

  async list(): Promise<ApiKeyDto[]> {
    const keys = await this.em.find(ApiKey, {}, { orderBy: { createdAt: 'asc' } });
    return keys.map(toDto);
  }

  async revoke(id: string): Promise<ApiKeyDto> {
    const key = await this.em.findOne(ApiKey, id);
    if (!key) throw new NotFoundError('API key', id);
    key.revokedAt ??= new Date();
    await this.em.flush();
    return toDto(key);
  }
}

function toDto(key: ApiKey): ApiKeyDto {
  return { id: key.id, name: key.name, role: key.role, prefix: key.prefix, createdAt: key.createdAt, revokedAt: key.revokedAt };
}
