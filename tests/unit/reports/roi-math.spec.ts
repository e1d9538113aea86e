import { roi } from '@ce/money';
import { divideRounded, ratio } from '@ce/money';
import { compareRows, completeGrid, KeyedSums, parseScaled, roiFigures, ZERO_SUMS } from '../../../apps/api/src/reports/roi-math';

describe('divideRounded', () => {
  it('rounds halves away from zero and everything else to the nearest whole number', () => {
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(5n, -2n)).toBe(-3n);
    expect(divideRounded(7n, 3n)).toBe(2n);
    expect(divideRounded(8n, 3n)).toBe(3n);
    expect(divideRounded(-8n, 3n)).toBe(-3n);
    expect(divideRounded(6n, 3n)).toBe(2n);
  });
});

describe('ratio', () => {
  it('is null, never Infinity or NaN, when the denominator is 0', () => {
    expect(ratio(100n, 0n)).toBeNull();
    expect(ratio(0n, 0n)).toBeNull();
  });

  it('gives 4 decimals, halves away from zero', () => {
    expect(ratio(2n, 3n)).toBe(0.6667);
    expect(ratio(1n, 3n)).toBe(0.3333);
    expect(ratio(1n, 20_000n)).toBe(0.0001); // 0.00005 → up
    expect(ratio(-1n, 20_000n)).toBe(-0.0001);
    expect(ratio(1n, 20_001n)).toBe(0);
    expect(ratio(-1n, 20_001n)).toBe(0); // never -0
    expect(Object.is(ratio(-1n, 20_001n), -0)).toBe(false);
    expect(ratio(41_396n, 8_050n)).toBe(5.1424);
  });
});

describe('parseScaled', () => {
  it('reads decimal text as an integer scaled to 4 decimals', () => {
    expect(parseScaled('1.5000')).toBe(15_000n);
    expect(parseScaled('1.5')).toBe(15_000n);
    expect(parseScaled('2')).toBe(20_000n);
    expect(parseScaled('-0.25')).toBe(-2_500n);
    expect(parseScaled('0.000049')).toBe(0n);
    expect(() => parseScaled('1e5')).toThrow();
  });
});

describe('roiFigures', () => {
  it('computes ROI, ROAS and cost per acquisition from exact minor units', () => {
    expect(roiFigures({ conversions: '1.0000', revenueMinor: '20697', costMinor: '8050' }, 'EUR')).toEqual({
      conversions: 1,
      revenue: '206.97',
      cost: '80.50',
      roi: 1.5711, // 12647 / 8050 = 1.571055…
      roas: 2.5711, // 20697 / 8050 = 2.571055…
      costPerAcquisition: '80.50',
    });
  });

  it('gives ROI the same value as the money library, and ROI = ROAS − 1', () => {
    const figures = roiFigures({ conversions: '2', revenueMinor: '41396', costMinor: '8050' }, 'EUR');
    expect(figures.roi).toBe(roi(41_396n, 8_050n));
    expect(figures.roi).toBe(4.1424);
    expect(figures.roas).toBe(5.1424);
  });

  it('reports ROI and ROAS as null when there is no cost, and cost per acquisition as 0.00', () => {
    expect(roiFigures({ conversions: '0.5000', revenueMinor: '15000', costMinor: '0' }, 'EUR')).toEqual({
      conversions: 0.5,
      revenue: '150.00',
      cost: '0.00',
      roi: null,
      roas: null,
      costPerAcquisition: '0.00',
    });
  });

  it('reports cost per acquisition as null when there are no conversions, and ROI −1 when nothing was earned', () => {
    expect(roiFigures({ conversions: '0.0000', revenueMinor: '0', costMinor: '8050' }, 'EUR')).toEqual({
      conversions: 0,
      revenue: '0.00',
      cost: '80.50',
      roi: -1,
      roas: 0,
      costPerAcquisition: null,
    });
  });

  it('rounds cost per acquisition to the currency\'s minor unit, halves away from zero', () => {
    expect(roiFigures({ conversions: '1.5000', revenueMinor: '0', costMinor: '8050' }, 'EUR').costPerAcquisition).toBe('53.67'); // 53.666…
    expect(roiFigures({ conversions: '4', revenueMinor: '0', costMinor: '2' }, 'EUR').costPerAcquisition).toBe('0.01'); // 0.005
    expect(roiFigures({ conversions: '3', revenueMinor: '0', costMinor: '1000' }, 'JPY').costPerAcquisition).toBe('333');
    expect(roiFigures({ conversions: '3', revenueMinor: '0', costMinor: '1000' }, 'BHD').costPerAcquisition).toBe('0.333');
  });

  it('formats amounts with the reporting currency\'s minor digits and keeps refunds negative', () => {
    const figures = roiFigures({ conversions: '1', revenueMinor: '-1250', costMinor: '1000' }, 'JPY');
    expect(figures.revenue).toBe('-1250');
    expect(figures.cost).toBe('1000');
    expect(figures.roi).toBe(-2.25);
  });
});

describe('completeGrid and compareRows', () => {
  const row = (key: KeyedSums['key'], model: string, conversions = '1'): KeyedSums => ({ key, model, ...ZERO_SUMS, conversions });

  it('gives every group a row under every model, zeros where a model credited nothing', () => {
    const rows = completeGrid([row({ channel: 'email' }, 'linear'), row({ channel: 'direct' }, 'last_touch')], ['last_touch', 'linear']);
    expect(rows.map((r) => `${r.key.channel}/${r.model}/${r.conversions}`).sort()).toEqual([
      'direct/last_touch/1',
      'direct/linear/0',
      'email/last_touch/0',
      'email/linear/1',
    ]);
  });

  it('orders campaigns by name then id, unnamed after, "no campaign" last, then channels, then models as asked', () => {
    const a = { campaignId: 'b-id', campaignName: 'Autumn' };
    const a2 = { campaignId: 'a-id', campaignName: 'Autumn' };
    const z = { campaignId: 'c-id', campaignName: 'Zebra' };
    const gone = { campaignId: 'd-id', campaignName: null };
    const none = { campaignId: null, campaignName: '(no campaign)' };
    const models = ['linear', 'last_touch'];
    const rows = [row(none, 'linear'), row(gone, 'linear'), row(z, 'last_touch'), row(z, 'linear'), row(a, 'linear'), row(a2, 'linear')];
    const sorted = [...rows].sort(compareRows(models));
    expect(sorted.map((r) => `${r.key.campaignId}/${r.model}`)).toEqual(['a-id/linear', 'b-id/linear', 'c-id/linear', 'c-id/last_touch', 'd-id/linear', 'null/linear']);

    const byChannel = [row({ channel: 'paid_search' }, 'last_touch'), row({ channel: 'email' }, 'last_touch'), row({ channel: 'email' }, 'linear')];
    expect(byChannel.sort(compareRows(models)).map((r) => `${r.key.channel}/${r.model}`)).toEqual(['email/linear', 'email/last_touch', 'paid_search/last_touch']);
  });
});
