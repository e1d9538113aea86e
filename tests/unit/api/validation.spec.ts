import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsInt, IsNotEmpty, IsString, IsUUID, Min, ValidateNested, validate } from 'class-validator';
import { flatten } from '../../../apps/api/src/common/validation';

class AudienceDto {
  @IsArray()
  @ArrayNotEmpty()
  @IsUUID('4', { each: true })
  leadIds!: string[];
}

class ItemDto {
  @IsString()
  @IsNotEmpty()
  name!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class LaunchDto {
  @IsString()
  @IsNotEmpty()
  title!: string;

  @ValidateNested()
  @Type(() => AudienceDto)
  audience!: AudienceDto;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items!: ItemDto[];
}

const LEAD_ID = '3f1c2b9e-8a4d-4c7e-9b2a-1d5e6f7a8b9c';

const validBody = () => ({
  title: 'Spring launch',
  audience: { leadIds: [LEAD_ID] },
  items: [{ name: 'Starter', quantity: 1 }, { name: 'Pro', quantity: 2 }],
});

async function problemsFor(body: object, strict = false) {
  const dto = plainToInstance(LaunchDto, body);
  const errors = await validate(dto, strict ? { whitelist: true, forbidNonWhitelisted: true } : {});
  return flatten(errors);
}

describe('flatten (validation errors → field problems)', () => {
  it('reports nothing for a valid body', async () => {
    expect(await problemsFor(validBody(), true)).toEqual([]);
  });

  it('names a top-level field by its property and drops the property from the message', async () => {
    const problems = await problemsFor({ ...validBody(), title: '' });
    expect(problems).toEqual([{ path: 'title', message: 'should not be empty' }]);
  });

  it('names a field of a nested object with a dotted path', async () => {
    const problems = await problemsFor({ ...validBody(), audience: { leadIds: ['not-a-uuid'] } });
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('audience.leadIds');
    expect(problems[0].message).toMatch(/UUID/);
  });

  it('names a field of an array element with its index in brackets', async () => {
    const problems = await problemsFor({ ...validBody(), items: [{ name: 'Starter', quantity: 1 }, { name: '', quantity: 0 }] });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'items[1].name', message: 'should not be empty' },
        { path: 'items[1].quantity', message: expect.stringMatching(/must not be less than 1/) },
      ]),
    );
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.path.startsWith('items[0]'))).toBe(false);
  });

  it('gives each failed constraint of a field its own problem', async () => {
    const problems = await problemsFor({ ...validBody(), items: [{ name: 42, quantity: 1 }] });
    const messages = problems.filter((p) => p.path === 'items[0].name').map((p) => p.message).sort();
    expect(messages).toEqual(['must be a string']);
    const missing = await problemsFor({ ...validBody(), title: undefined });
    expect(missing.filter((p) => p.path === 'title').map((p) => p.message).sort()).toEqual(['must be a string', 'should not be empty']);
  });

  it('reports unknown fields as "is not a known field" at their full path', async () => {
    const problems = await problemsFor(
      {
        ...validBody(),
        isAdmin: true,
        audience: { leadIds: [LEAD_ID], segment: 'vip' },
        items: [{ name: 'Starter', quantity: 1 }, { name: 'Pro', quantity: 2, price: 5 }],
      },
      true,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'isAdmin', message: 'is not a known field' },
        { path: 'audience.segment', message: 'is not a known field' },
        { path: 'items[1].price', message: 'is not a known field' },
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it('keeps messages that do not start with the property name whole', async () => {
    const problems = await problemsFor({ ...validBody(), audience: { leadIds: [LEAD_ID, 'x'] } });
    expect(problems).toEqual([{ path: 'audience.leadIds', message: 'each value in leadIds must be a UUID' }]);
  });

  it('reads paths under a given parent', () => {
    const problems = flatten(
      [{ property: 'name', constraints: { isNotEmpty: 'name should not be empty' }, children: [] }],
      'items[3]',
    );
    expect(problems).toEqual([{ path: 'items[3].name', message: 'should not be empty' }]);
  });
});
