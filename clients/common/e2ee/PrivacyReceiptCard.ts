import type { PrivacyReceipt } from '@huijian/signaling/protocol';
import { language, t, type MessageKey } from '../i18n';

/** The meeting's privacy receipt, read with this terminal's device credential (the station seat of the meeting). */
export async function fetchPrivacyReceipt(meetingId: string, credential: string, origin = location.origin): Promise<PrivacyReceipt> {
  const response = await fetch(`${origin}/api/meetings/${encodeURIComponent(meetingId)}/privacy-receipt`, {
    headers: { authorization: `Device ${credential}` },
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`privacy receipt: HTTP ${response.status}`);
  return ((await response.json()) as { receipt: PrivacyReceipt }).receipt;
}

/**
 * The receipt as a card: endpoints connected, end-to-end encrypted, code confirmed, recorder
 * present, the media paths the SFU held. Each row carries `data-field` and `data-value`.
 */
export function renderPrivacyReceipt(receipt: PrivacyReceipt): HTMLElement {
  const card = document.createElement('section');
  card.id = 'privacy-receipt';
  card.className = 'privacy-receipt';
  card.dataset.final = String(receipt.final);
  const title = document.createElement('h2');
  title.textContent = t('receipt.title');
  const list = document.createElement('dl');
  const yesNo = (value: boolean) => t(value ? 'receipt.yes' : 'receipt.no');
  const time = (at: number | null) => (at === null ? '–' : new Date(at).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' }));
  const media = receipt.media
    ? `${receipt.media.lawyer.transports} / ${receipt.media.lawyer.consumers} · ${receipt.media.detainee.transports} / ${receipt.media.detainee.consumers}`
    : '–';
  const rows: [string, MessageKey, string, string, boolean][] = [
    ['meeting', 'receipt.meeting', receipt.meetingId, receipt.meetingId, true],
    ['time', 'receipt.time', `${time(receipt.startedAt)} – ${time(receipt.endedAt)}`, String(receipt.endedAt ?? ''), true],
    ['endpoints', 'receipt.endpoints', String(receipt.endpointsConnected), String(receipt.endpointsConnected), receipt.endpointsConnected === 2],
    ['e2ee', 'receipt.e2ee', yesNo(receipt.endToEndEncrypted), String(receipt.endToEndEncrypted), receipt.endToEndEncrypted],
    ['code', 'receipt.code', yesNo(receipt.codeConfirmed), String(receipt.codeConfirmed), receipt.codeConfirmed],
    ['recorder', 'receipt.recorder', t(receipt.recorderPresent === 'none' ? 'receipt.none' : 'receipt.detected'), receipt.recorderPresent, receipt.recorderPresent === 'none'],
    ['media', 'receipt.media', media, media, true],
  ];
  for (const [field, label, shown, value, good] of rows) {
    const term = document.createElement('dt');
    term.textContent = t(label);
    const detail = document.createElement('dd');
    detail.textContent = shown;
    detail.dataset.field = field;
    detail.dataset.value = value;
    detail.dataset.tone = good ? 'ok' : 'bad';
    list.append(term, detail);
  }
  card.append(title, list);
  if (!receipt.final) {
    const pending = document.createElement('p');
    pending.textContent = t('receipt.pending');
    card.append(pending);
  }
  return card;
}
