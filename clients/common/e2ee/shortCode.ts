import { lengthPrefixed, utf8 } from './bytes';
import { PROTOCOL_LABEL, sha256, transcriptBytes, type ExchangeTranscript } from './keySchedule';
import { shortCodeSymbols, type ShortCodeSymbol } from './shortCodeSymbols';

/**
 * The short authentication string both people read aloud: four digits and three pictures
 * (about 13.3 + 18 = 31 bits). It is a hash of the transcript, so it depends on the meeting, the
 * exchange and both public keys, and both screens compute it the same way. A server that swapped
 * a key would have to hit the same 31 bits blind (the initiator committed first): one chance in
 * about two billion.
 */
export interface ShortCode {
  digits: string;
  symbols: ShortCodeSymbol[];
}

export async function shortCodeOf(transcript: ExchangeTranscript): Promise<ShortCode> {
  const hash = await sha256(lengthPrefixed(utf8(`${PROTOCOL_LABEL} short code`), transcriptBytes(transcript)));
  const number = new DataView(hash.buffer, hash.byteOffset, 4).getUint32(0);
  const bits = (hash[4]! << 16) | (hash[5]! << 8) | hash[6]!;
  const symbols = [18, 12, 6].map((shift) => shortCodeSymbols[(bits >> shift) & 0x3f]!);
  return { digits: String(number % 10_000).padStart(4, '0'), symbols };
}

export function sameShortCode(a: ShortCode, b: ShortCode): boolean {
  return a.digits === b.digits && a.symbols.every((symbol, i) => symbol === b.symbols[i]);
}

/** The code as one line, e.g. `4821 · 🐼 熊猫 · 🚲 自行车 · 🌙 月亮`. */
export function shortCodeText(code: ShortCode, language: 'zh-CN' | 'en'): string {
  const names = code.symbols.map((s) => `${s.emoji} ${language === 'en' ? s.en : s.zh}`);
  return [code.digits, ...names].join(' · ');
}
