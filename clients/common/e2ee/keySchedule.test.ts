import { describe, expect, it } from 'vitest';
import { equalBytes } from './bytes';
import { layoutOf } from './codecs';
import { FrameOpener, FrameRejected, FrameSealer, type SenderKey } from './FrameCipher';
import { exchangeKeys, opusFrame } from './frameProtection.fixtures';
import { commitmentOf, deriveMediaKeys, exportPublicKey, generateExchangeKey, importPublicKey, sharedSecret, type ExchangeTranscript } from './keySchedule';
import { sameShortCode, shortCodeOf, shortCodeText } from './shortCode';
import { shortCodeSymbols } from './shortCodeSymbols';

/** Does a frame sealed with `sender` open with `receiver`? (Keys are not extractable: compare by use.) */
async function sameKey(sender: SenderKey, receiver: SenderKey): Promise<boolean> {
  const opener = new FrameOpener();
  opener.addKey({ ...receiver, keyId: sender.keyId });
  const wire = await new FrameSealer(sender).seal(layoutOf('opus'), opusFrame());
  return opener.open(layoutOf('opus'), wire).then(
    () => true,
    (e: unknown) => (e instanceof FrameRejected ? false : Promise.reject(e)),
  );
}

describe('key derivation', () => {
  it('both seats derive the same two sending keys from their own private key and the other’s public key', async () => {
    const { atLawyer, atDetainee } = await exchangeKeys();
    for (const seat of ['lawyer', 'detainee'] as const) {
      expect(atLawyer[seat].keyId).toBe(atDetainee[seat].keyId);
      expect(equalBytes(atLawyer[seat].salt, atDetainee[seat].salt)).toBe(true);
      expect(await sameKey(atLawyer[seat], atDetainee[seat])).toBe(true);
    }
    expect(await sameKey(atLawyer.lawyer, atDetainee.detainee)).toBe(false);
  });

  it('private keys cannot be exported and media keys cannot be exported', async () => {
    const { lawyer, atLawyer } = await exchangeKeys();
    expect(lawyer.privateKey.extractable).toBe(false);
    expect(atLawyer.lawyer.key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', atLawyer.lawyer.key)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('pkcs8', lawyer.privateKey)).rejects.toThrow();
  });

  it('the keys are bound to the meeting id, the exchange id and both public keys', async () => {
    const { lawyer, detainee, transcript, atLawyer } = await exchangeKeys();
    const secret = await sharedSecret(lawyer.privateKey, await importPublicKey(transcript.detaineeKey));
    const variants: ExchangeTranscript[] = [
      { ...transcript, meetingId: 'm-another' },
      { ...transcript, exchangeId: 'BBBBBBBBBBBBBBBBBBBBBB' },
      { ...transcript, lawyerKey: await exportPublicKey((await generateExchangeKey()).publicKey) },
      { ...transcript, detaineeKey: await exportPublicKey(detainee.publicKey).then(async () => exportPublicKey((await generateExchangeKey()).publicKey)) },
      // the same keys in the other order
      { ...transcript, lawyerKey: transcript.detaineeKey, detaineeKey: transcript.lawyerKey },
    ];
    for (const variant of variants) {
      const keys = await deriveMediaKeys(secret, variant);
      expect(await sameKey(atLawyer.lawyer, keys.lawyer)).toBe(false);
    }
    expect(await sameKey(atLawyer.lawyer, (await deriveMediaKeys(secret, transcript)).lawyer)).toBe(true);
  });

  it('refuses a public key that is not a P-256 point', async () => {
    const { transcript } = await exchangeKeys();
    const offCurve = Uint8Array.from(transcript.lawyerKey);
    offCurve[64]! ^= 1;
    await expect(importPublicKey(offCurve)).rejects.toThrow();
    await expect(importPublicKey(transcript.lawyerKey.subarray(0, 33))).rejects.toThrow();
  });

  it('the commitment opens only with the committed key, meeting and exchange', async () => {
    const { transcript } = await exchangeKeys();
    const c = await commitmentOf('m-test', transcript.exchangeId, transcript.lawyerKey);
    expect(equalBytes(await commitmentOf('m-test', transcript.exchangeId, transcript.lawyerKey), c)).toBe(true);
    for (const other of [
      await commitmentOf('m-test', transcript.exchangeId, transcript.detaineeKey),
      await commitmentOf('m-other', transcript.exchangeId, transcript.lawyerKey),
      await commitmentOf('m-test', 'BBBBBBBBBBBBBBBBBBBBBB', transcript.lawyerKey),
    ]) {
      expect(equalBytes(other, c)).toBe(false);
    }
  });
});

describe('short code', () => {
  it('is the same on both screens (a function of the transcript alone) and well formed', async () => {
    const { transcript } = await exchangeKeys();
    const a = await shortCodeOf(transcript);
    const b = await shortCodeOf({ ...transcript, lawyerKey: Uint8Array.from(transcript.lawyerKey), detaineeKey: Uint8Array.from(transcript.detaineeKey) });
    expect(sameShortCode(a, b)).toBe(true);
    expect(a.digits).toMatch(/^\d{4}$/);
    expect(a.symbols).toHaveLength(3);
    expect(shortCodeText(a, 'zh-CN')).toMatch(/^\d{4}( · \S+ \S+){3}$/u);
    expect(shortCodeText(a, 'en').startsWith(a.digits)).toBe(true);
  });

  it('differs when either public key is swapped for another (a man in the middle)', async () => {
    const { transcript } = await exchangeKeys();
    const genuine = await shortCodeOf(transcript);
    let differing = 0;
    for (let i = 0; i < 20; i++) {
      const intruder = await exportPublicKey((await generateExchangeKey()).publicKey);
      const swappedLawyer = await shortCodeOf({ ...transcript, lawyerKey: intruder });
      const swappedDetainee = await shortCodeOf({ ...transcript, detaineeKey: intruder });
      if (!sameShortCode(genuine, swappedLawyer) && !sameShortCode(genuine, swappedDetainee) && !sameShortCode(swappedLawyer, swappedDetainee)) differing++;
    }
    expect(differing).toBe(20);
  });

  it('spreads over all 64 pictures and all digits', async () => {
    const seen = new Set<string>();
    const digits = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const code = await shortCodeOf({ meetingId: `m-${i}`, exchangeId: 'AAAAAAAAAAAAAAAAAAAAAA', lawyerKey: Uint8Array.of(i), detaineeKey: Uint8Array.of(i >> 8) });
      for (const s of code.symbols) seen.add(s.emoji);
      for (const d of code.digits) digits.add(d);
    }
    expect(shortCodeSymbols).toHaveLength(64);
    expect(new Set(shortCodeSymbols.map((s) => s.emoji)).size).toBe(64);
    expect(new Set(shortCodeSymbols.map((s) => s.zh)).size).toBe(64);
    expect(new Set(shortCodeSymbols.map((s) => s.en)).size).toBe(64);
    expect(seen.size).toBeGreaterThan(58);
    expect(digits.size).toBe(10);
  });
});
