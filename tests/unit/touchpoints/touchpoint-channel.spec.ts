import { channelForType, touchpointChannel } from '../../../apps/api/src/touchpoints/touchpoint-channel';

describe('channelForType', () => {
  it('maps types that name a channel to it', () => {
    expect(channelForType('direct')).toBe('direct');
    expect(channelForType('event')).toBe('events');
    expect(channelForType('trade_show')).toBe('events');
    expect(channelForType('webinar')).toBe('webinar');
    expect(channelForType('direct_mail')).toBe('direct_mail');
    expect(channelForType('referral')).toBe('referral');
    expect(channelForType('paid_search')).toBe('paid_search');
    expect(channelForType('social')).toBe('organic_social');
    expect(channelForType('click')).toBe('email');
  });

  it('gives other to types that say nothing about the channel', () => {
    expect(channelForType('visit')).toBe('other');
    expect(channelForType('ad_click')).toBe('other');
    expect(channelForType('something_new')).toBe('other');
  });
});

describe('touchpointChannel', () => {
  it('takes the channel the client named over everything else', () => {
    expect(touchpointChannel({ channel: 'paid_social', type: 'webinar', utm: { source: 'google', medium: 'cpc' } })).toBe('paid_social');
  });

  it('groups by UTM source and medium when either is given', () => {
    expect(touchpointChannel({ type: 'visit', utm: { source: 'google', medium: 'cpc' } })).toBe('paid_search');
    expect(touchpointChannel({ type: 'visit', utm: { source: 'newsletter', medium: null } })).toBe('email');
    expect(touchpointChannel({ type: 'webinar', utm: { source: 'linkedin', medium: 'social' } })).toBe('organic_social');
  });

  it('falls back to the type without a UTM source or medium, even with a UTM campaign', () => {
    expect(touchpointChannel({ type: 'webinar' })).toBe('webinar');
    expect(touchpointChannel({ type: 'webinar', utm: { source: null, medium: null } })).toBe('webinar');
    expect(touchpointChannel({ type: 'visit', utm: null })).toBe('other');
    expect(touchpointChannel({ type: 'direct' })).toBe('direct');
  });
});
