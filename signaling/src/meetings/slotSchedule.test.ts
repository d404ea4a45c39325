import { describe, expect, it } from 'vitest';
import { slotStep } from './slotSchedule';

const end = 1_000_000;
const warnings = [300, 60];

describe('slotStep', () => {
  it('sleeps until the 5-minute warning when it comes before the re-check', () => {
    const step = slotStep(end - 400_000, end, warnings, new Set(), 600_000);
    expect(step).toEqual({ dueWarnings: [], ended: false, nextAt: end - 300_000 });
  });

  it('wakes for the periodic re-check when that comes first', () => {
    expect(slotStep(end - 400_000, end, warnings, new Set(), 15_000).nextAt).toBe(end - 385_000);
  });

  it('makes the 5-minute warning due at its moment, then aims at the 1-minute one', () => {
    const step = slotStep(end - 300_000, end, warnings, new Set(), 600_000);
    expect(step.dueWarnings).toEqual([300]);
    expect(step.nextAt).toBe(end - 60_000);
  });

  it('does not repeat a sent warning', () => {
    expect(slotStep(end - 200_000, end, warnings, new Set([300]), 600_000).dueWarnings).toEqual([]);
  });

  it('makes both due for a seat that joins in the last minute (the caller sends only the nearer one)', () => {
    const step = slotStep(end - 30_000, end, warnings, new Set(), 600_000);
    expect(step.dueWarnings).toEqual([300, 60]);
    expect(step.nextAt).toBe(end);
  });

  it('reports the end at and after the slot end', () => {
    expect(slotStep(end, end, warnings, new Set(), 1000)).toMatchObject({ ended: true });
    expect(slotStep(end + 5, end, warnings, new Set([300, 60]), 1000)).toMatchObject({ ended: true });
  });
});
