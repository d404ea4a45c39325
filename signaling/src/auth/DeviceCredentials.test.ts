import { describe, expect, it } from 'vitest';
import { formatCredential, parseCredential, roleOfDeviceKind } from './DeviceCredentials';

const credentialId = 'AbCdEfGhIjK';
const secret = 'x'.repeat(43);

describe('device credentials', () => {
  it('name their device and round-trip through the text form', () => {
    const text = formatCredential('seat-haidian-01', credentialId, secret);
    expect(text).toBe(`hjd1.seat-haidian-01.${credentialId}.${secret}`);
    expect(parseCredential(text)).toEqual({ deviceId: 'seat-haidian-01', credentialId, secret });
  });

  it.each([
    ['another version', `hjd2.seat-1.${credentialId}.${secret}`],
    ['a short secret', `hjd1.seat-1.${credentialId}.${'x'.repeat(42)}`],
    ['a bad device id', `hjd1.seat/1.${credentialId}.${secret}`],
    ['an extra part', `hjd1.seat.1.${credentialId}.${secret}`],
    ['a JWT', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
    ['nothing', ''],
  ])('refuse %s', (_name, text) => {
    expect(parseCredential(text)).toBeUndefined();
  });

  it('tie the device kind to the role it joins as', () => {
    expect(roleOfDeviceKind('seat')).toBe('lawyer');
    expect(roleOfDeviceKind('booth')).toBe('detainee');
  });
});
