import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingTokens } from '../../../signaling/src/auth/BookingTokens';
import { KeyRing } from '../../../signaling/src/auth/KeyRing';
import { audience, issuer } from '../../support/meetingFixtures';
import { AccessPlatform } from './harness';

/**
 * Signing keys rotate by `kid`: while the old key file stays, its tokens are still accepted and
 * new tokens carry the new kid; once the old file is removed (and the instances restarted), a
 * token signed with it is refused as signed by an unknown key.
 */
describe('signing key rotation', () => {
  let access: AccessPlatform;
  let keysDir: string;

  beforeAll(async () => {
    access = await AccessPlatform.start({
      env: { TOKEN_ACTIVE_KID: 'k2-new', TOKEN_KEYS_AUTOGENERATE: 'false' },
      prepare: (varDir) => {
        keysDir = join(varDir, 'keys');
        mkdirSync(keysDir, { recursive: true });
        for (const kid of ['k1-old', 'k2-new']) {
          const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
          writeFileSync(join(keysDir, `${kid}.pem`), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
        }
      },
    });
  });
  afterAll(async () => access?.close());

  const signedWith = (kid: string) => new BookingTokens(KeyRing.load(keysDir, { activeKid: kid, autogenerate: false }), issuer, audience);

  it('accepts tokens of the old and of the new key while both are installed', async () => {
    const meeting = await access.fixtures.meetingNow();
    const request = { bookingId: meeting.bookingId, meetingId: meeting.meetingId, role: 'lawyer' as const, deviceId: meeting.seatDeviceId, notBefore: Date.now() - 60_000, expiresAt: meeting.endsAt };
    (await access.admitted(access.auth(meeting.seatCredential, signedWith('k1-old').issue(request)))).disconnect();
    (await access.admitted(access.auth(meeting.seatCredential, signedWith('k2-new').issue(request)))).disconnect();
  });

  it('refuses the old key’s tokens once its file is gone and the instance restarted', async () => {
    const meeting = await access.fixtures.meetingNow();
    const request = { bookingId: meeting.bookingId, meetingId: meeting.meetingId, role: 'lawyer' as const, deviceId: meeting.seatDeviceId, notBefore: Date.now() - 60_000, expiresAt: meeting.endsAt };
    const oldToken = signedWith('k1-old').issue(request);
    rmSync(join(keysDir, 'k1-old.pem'));
    await access.platform.signaling!.stop();
    const url = await access.platform.startSignaling();
    expect(await access.refusal(access.auth(meeting.seatCredential, oldToken), url)).toBe('TOKEN_UNKNOWN_KEY');
    (await access.admitted(access.auth(meeting.seatCredential, signedWith('k2-new').issue(request)), url)).disconnect();
  });
});
