import { describe, expect, it } from 'vitest';
import type { PrivacyFacts } from '../store/PrivacyLedger';
import { composeReceipt } from './PrivacyReceipts';

const seat = (transports: number, producers: number, consumers: number) => ({ transports, producers, consumers });

/** A meeting that went as it should: both seats joined, one exchange, both encrypting, code confirmed, ended. */
const clean: PrivacyFacts = {
  policy: 'required',
  firstJoinAt: 1_000,
  exchangeId: 'x1',
  exchanges: 1,
  active: { lawyer: 'x1', detainee: 'x1' },
  confirmed: 'x1',
  mismatch: undefined,
  failed: undefined,
  census: { lawyer: seat(2, 2, 2), detainee: seat(2, 2, 2) },
  peakTransportsPerSeat: 2,
  endedAt: 3_601_000,
  endReason: 'slot_ended',
  guardViolations: 0,
  endpoints: ['detainee:booth-1', 'lawyer:seat-1'],
};

describe('privacy receipt', () => {
  it('reads 2 endpoints, encrypted, code confirmed, no recorder for a clean meeting', () => {
    expect(composeReceipt('m-1', clean)).toEqual({
      meetingId: 'm-1',
      final: true,
      startedAt: 1_000,
      endedAt: 3_601_000,
      endReason: 'slot_ended',
      endpointsConnected: 2,
      e2eePolicy: 'required',
      endToEndEncrypted: true,
      codeConfirmed: true,
      keyExchanges: 1,
      recorderPresent: 'none',
      media: clean.census,
    });
  });

  it('is not final before the end', () => {
    expect(composeReceipt('m-1', { ...clean, endedAt: undefined, endReason: undefined })).toMatchObject({ final: false, endedAt: null });
  });

  it('says "not encrypted" when the policy was off, a seat never reported the exchange in force, or an exchange failed', () => {
    expect(composeReceipt('m-1', { ...clean, policy: 'off' }).endToEndEncrypted).toBe(false);
    expect(composeReceipt('m-1', { ...clean, active: { lawyer: 'x1', detainee: 'x0' } }).endToEndEncrypted).toBe(false);
    expect(composeReceipt('m-1', { ...clean, active: { lawyer: 'x1', detainee: undefined } }).endToEndEncrypted).toBe(false);
    expect(composeReceipt('m-1', { ...clean, failed: 'x1' }).endToEndEncrypted).toBe(false);
  });

  it('counts the code confirmed only for the exchange in force and never after a mismatch', () => {
    // a rejoin made a new exchange whose code nobody confirmed
    expect(composeReceipt('m-1', { ...clean, exchangeId: 'x2', exchanges: 2, active: { lawyer: 'x2', detainee: 'x2' } }).codeConfirmed).toBe(false);
    expect(composeReceipt('m-1', { ...clean, mismatch: 'x1' }).codeConfirmed).toBe(false);
    expect(composeReceipt('m-1', { ...clean, confirmed: undefined }).codeConfirmed).toBe(false);
  });

  it('reports a recorder when the SFU guard reported one or the counts exceed two seats', () => {
    expect(composeReceipt('m-1', { ...clean, guardViolations: 1 }).recorderPresent).toBe('detected');
    expect(composeReceipt('m-1', { ...clean, peakTransportsPerSeat: 3 }).recorderPresent).toBe('detected');
    expect(composeReceipt('m-1', { ...clean, census: { lawyer: seat(2, 2, 3), detainee: seat(2, 2, 2) } }).recorderPresent).toBe('detected');
  });

  it('counts distinct terminals, so a third one shows', () => {
    expect(composeReceipt('m-1', { ...clean, endpoints: [...clean.endpoints, 'lawyer:seat-9'] }).endpointsConnected).toBe(3);
  });
});
