import { describe, expect, it } from 'vitest';
import { ProgressMeter, Throttle } from '../../../main/sync/progress-meter.js';

describe('ProgressMeter', () => {
  it('derives rate and ETA from samples over time', () => {
    const meter = new ProgressMeter(10_000);
    expect(meter.read(0, 0, 1000)).toEqual({ ratePerSecond: 0, etaSeconds: null });
    const reading = meter.read(2000, 200, 1000);
    expect(reading.ratePerSecond).toBeCloseTo(100);
    expect(reading.etaSeconds).toBeCloseTo(8);
  });

  it('forgets samples older than its window', () => {
    const meter = new ProgressMeter(1000);
    meter.read(0, 0, 100);
    meter.read(500, 50, 100);
    meter.read(1000, 51, 100);
    const reading = meter.read(2000, 52, 100);
    expect(reading.ratePerSecond).toBeLessThan(10);
  });

  it('starts over when the count goes backwards (a new phase)', () => {
    const meter = new ProgressMeter();
    meter.read(0, 0, 100);
    meter.read(1000, 90, 100);
    expect(meter.read(2000, 10, 100).ratePerSecond).toBe(0);
  });
});

describe('Throttle', () => {
  it('lets one event through per interval, and always the final one', () => {
    const throttle = new Throttle(100);
    expect(throttle.shouldEmit(0, false)).toBe(true);
    expect(throttle.shouldEmit(50, false)).toBe(false);
    expect(throttle.shouldEmit(60, true)).toBe(true);
    expect(throttle.shouldEmit(100, false)).toBe(false);
    expect(throttle.shouldEmit(161, false)).toBe(true);
  });
});
