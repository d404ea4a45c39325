import { describe, expect, it } from 'vitest';
import { sanitizeAuditEntry } from './AuditLog';

const jwtLike = 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJiLTEiLCJtaWQiOiJtLTEifQ.MEUCIQDx';
const credential = `hjd1.s.AbCdEfGhIjK.${'x'.repeat(43)}`;

describe('audit entries', () => {
  it('keep metadata fields that fit their shapes', () => {
    const { entry, dropped } = sanitizeAuditEntry({
      type: 'refused',
      channel: 'meeting',
      code: 'TOKEN_EXPIRED',
      meetingId: 'm-1',
      role: 'lawyer',
      deviceId: 'seat-1',
      tokenId: '0f6b8a8e-5a3c-4f0b-9d59-1c2e3f4a5b6c',
      ip: '::ffff:127.0.0.1',
    });
    expect(dropped).toEqual([]);
    expect(entry).toMatchObject({ type: 'refused', code: 'TOKEN_EXPIRED', ip: '127.0.0.1', deviceId: 'seat-1' });
  });

  it('drop a token, a credential, a document number or free text wherever they are put', () => {
    const { entry, dropped } = sanitizeAuditEntry({
      type: 'admitted',
      tokenId: jwtLike,
      deviceId: credential,
      meetingId: 'm 1; DROP',
      reason: 'ID card 110101199003074514',
      by: 'Robert Smith',
      code: 'NOT_A_CODE',
      token: jwtLike,
    });
    expect(dropped.sort()).toEqual(['by', 'code', 'deviceId', 'meetingId', 'reason', 'token', 'tokenId']);
    expect(JSON.stringify(entry)).not.toMatch(/eyJ|hjd1|110101/);
    expect(entry).toEqual({ type: 'admitted' });
  });

  it('keep the confidentiality fields (exchange id, policy, flags, counts) and drop keys put in their place', () => {
    const publicKey = `B${'x'.repeat(86)}`;
    const kept = sanitizeAuditEntry({
      type: 'privacy_receipt',
      meetingId: 'm-1',
      exchangeId: 'AbCdEfGhIjKlMnOpQrStUv',
      policy: 'required',
      e2ee: true,
      codeConfirmed: false,
      endpoints: 2,
      transports: 4,
      consumers: 4,
    });
    expect(kept.dropped).toEqual([]);
    expect(kept.entry).toMatchObject({ e2ee: true, codeConfirmed: false, transports: 4, policy: 'required' });
    const { entry, dropped } = sanitizeAuditEntry({ type: 'e2ee_active', exchangeId: publicKey, policy: 'maybe', e2ee: 'yes', transports: -1, centerId: publicKey });
    expect(dropped.sort()).toEqual(['centerId', 'e2ee', 'exchangeId', 'policy', 'transports']);
    expect(entry).toEqual({ type: 'e2ee_active' });
  });

  it('refuse an entry without a known type', () => {
    expect(() => sanitizeAuditEntry({ type: 'whatever' })).toThrow(/valid type/);
  });
});
