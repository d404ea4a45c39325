import { describe, expect, it } from 'vitest';
import { controlRequestSchemas } from './contract';

const fingerprint = { algorithm: 'sha-256', value: Array.from({ length: 32 }, () => 'AB').join(':') };
const base = { meetingId: 'm-1', seat: 'lawyer', transportId: 't-1' };

describe('control request schemas', () => {
  it('accept a well-formed connectTransport', () => {
    expect(controlRequestSchemas.connectTransport.safeParse({ ...base, dtlsParameters: { role: 'client', fingerprints: [fingerprint] } }).success).toBe(true);
  });

  it('refuse empty DTLS fingerprints (the input that crashed mediasoup workers in issue #537)', () => {
    expect(controlRequestSchemas.connectTransport.safeParse({ ...base, dtlsParameters: { fingerprints: [] } }).success).toBe(false);
  });

  it('refuse a third seat, unknown keys and oversized meeting ids', () => {
    expect(controlRequestSchemas.createTransport.safeParse({ meetingId: 'm-1', seat: 'observer', direction: 'recv' }).success).toBe(false);
    expect(controlRequestSchemas.createTransport.safeParse({ meetingId: 'm-1', seat: 'lawyer', direction: 'recv', tap: true }).success).toBe(false);
    expect(controlRequestSchemas.createMeeting.safeParse({ meetingId: 'x'.repeat(65) }).success).toBe(false);
  });

  it('never pass prototype-pollution keys on: __proto__ is dropped, constructor refused', () => {
    const produce = (parameters: string) =>
      controlRequestSchemas.produce.safeParse({
        ...base,
        kind: 'audio',
        source: 'microphone',
        rtpParameters: JSON.parse(`{"codecs":[{"mimeType":"audio/opus","payloadType":111,"clockRate":48000,"channels":2,"parameters":${parameters}}]}`),
      });
    const polluted = produce('{"useinbandfec":1,"__proto__":{"polluted":1}}');
    expect(polluted.success).toBe(true);
    const parameters = polluted.data!.rtpParameters.codecs[0]!.parameters!;
    expect(Object.keys(parameters)).toEqual(['useinbandfec']);
    expect(Object.getPrototypeOf(parameters)).toBe(Object.prototype);
    expect((parameters as Record<string, unknown>).polluted).toBeUndefined();
    expect(produce('{"constructor":1}').success).toBe(false);
  });
});
