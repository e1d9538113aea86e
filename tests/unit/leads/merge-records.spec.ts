import { LeadRecord, mergeByEmail, mergeRecords } from '@ce/leads';

describe('mergeRecords', () => {
  it('lets later values win field by field and keeps what the later record leaves out', () => {
    const earlier: LeadRecord = { email: 'ada@example.com', firstName: 'Ada', company: 'Old Co', lifecycleStage: 'lead' };
    const later: LeadRecord = { email: 'ada@example.com', company: 'New Co', jobTitle: 'CTO' };
    expect(mergeRecords(earlier, later)).toEqual({ email: 'ada@example.com', firstName: 'Ada', company: 'New Co', jobTitle: 'CTO', lifecycleStage: 'lead' });
  });

  it('treats an explicit null as a value that clears the field', () => {
    expect(mergeRecords({ email: 'a@b.co', phone: '+1 555 0100' }, { email: 'a@b.co', phone: null })).toEqual({ email: 'a@b.co', phone: null });
  });

  it('ignores fields the later record has as undefined', () => {
    expect(mergeRecords({ email: 'a@b.co', firstName: 'Ada' }, { email: 'a@b.co', firstName: undefined })).toEqual({ email: 'a@b.co', firstName: 'Ada' });
  });

  it('merges attributes, external ids and consent key by key', () => {
    const merged = mergeRecords(
      { email: 'a@b.co', attributes: { plan: 'free', seats: 3 }, externalIds: { crm: '1' }, consent: { email: 'subscribed' } },
      { email: 'a@b.co', attributes: { plan: 'pro', trial: true }, externalIds: { shop: '9' }, consent: { sms: 'unsubscribed' } },
    );
    expect(merged).toEqual({
      email: 'a@b.co',
      attributes: { plan: 'pro', seats: 3, trial: true },
      externalIds: { crm: '1', shop: '9' },
      consent: { email: 'subscribed', sms: 'unsubscribed' },
    });
  });

  it('starts the nested objects afresh when only the later record has them', () => {
    expect(mergeRecords({ email: 'a@b.co' }, { email: 'a@b.co', attributes: { plan: null } })).toEqual({ email: 'a@b.co', attributes: { plan: null } });
  });

  it('changes neither input', () => {
    const earlier: LeadRecord = { email: 'a@b.co', attributes: { plan: 'free' }, consent: { email: 'subscribed' } };
    const later: LeadRecord = { email: 'a@b.co', attributes: { plan: 'pro' }, consent: { email: 'unsubscribed' } };
    mergeRecords(earlier, later);
    expect(earlier).toEqual({ email: 'a@b.co', attributes: { plan: 'free' }, consent: { email: 'subscribed' } });
    expect(later).toEqual({ email: 'a@b.co', attributes: { plan: 'pro' }, consent: { email: 'unsubscribed' } });
  });
});

describe('mergeByEmail', () => {
  it('folds the records that share an email into one, keeping the order of first appearance', () => {
    const items = [
      { row: 1, record: { email: 'b@example.com', firstName: 'Bea' } },
      { row: 2, record: { email: 'a@example.com', firstName: 'Ada', company: 'Kept' } },
      { row: 3, record: { email: 'b@example.com', lastName: 'Brown' } },
      { row: 4, record: { email: 'a@example.com', firstName: 'Adele' } },
    ];
    const groups = mergeByEmail(items);
    expect(groups.map((g) => g.merged)).toEqual([
      { email: 'b@example.com', firstName: 'Bea', lastName: 'Brown' },
      { email: 'a@example.com', firstName: 'Adele', company: 'Kept' },
    ]);
    expect(groups.map((g) => g.sources.map((s) => s.row))).toEqual([[1, 3], [2, 4]]);
  });

  it('leaves a record that is alone as it was', () => {
    const record: LeadRecord = { email: 'solo@example.com', attributes: { plan: 'pro' } };
    const [group] = mergeByEmail([{ record }]);
    expect(group.merged).toEqual(record);
    expect(group.merged).not.toBe(record);
  });

  it('returns nothing for no records', () => {
    expect(mergeByEmail([])).toEqual([]);
  });
});
