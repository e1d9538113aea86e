import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { issueApiKey } from '@ce/auth';
import { ApiKey, SalesRep } from '@ce/db';
import { InputInvalidError, NotFoundError } from '@ce/errors';
import { ApiKeyDto, CreateApiKeyDto, IssuedApiKeyDto } from './dto/api-key.dto';

@Injectable()
export class ApiKeysService {
  constructor(private readonly em: EntityManager) {}

  /** Makes a key; a `sales` key may belong to a rep (`salesRepId`), a key of another role may not. */
  async create(input: CreateApiKeyDto): Promise<IssuedApiKeyDto> {
    const salesRepId = input.salesRepId?.toLowerCase() ?? null;
    if (salesRepId !== null) {
      if (input.role !== 'sales')
        throw new InputInvalidError([{ path: 'salesRepId', message: `may be given only with the role sales, not ${input.role}` }]);
      if ((await this.em.count(SalesRep, { id: salesRepId })) === 0)
        throw new InputInvalidError([{ path: 'salesRepId', message: `is not a known sales rep (${salesRepId})` }]);
    }
    const issued = await issueApiKey(this.em, input.name, input.role, salesRepId);
    return { ...issued, revokedAt: null, salesRepId };
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
  return { id: key.id, name: key.name, role: key.role, prefix: key.prefix, createdAt: key.createdAt, revokedAt: key.revokedAt, salesRepId: key.salesRep?.id ?? null };
}
