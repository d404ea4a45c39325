import type { DeviceAssignment } from '@huijian/signaling/protocol';
import { DeviceChannel } from './DeviceChannel';
import { takeDeviceCredential, tokenNotBefore } from './deviceCredential';
import { createEncryptionBadge } from './e2ee/EncryptionBadge';
import { fetchPrivacyReceipt, renderPrivacyReceipt } from './e2ee/PrivacyReceiptCard';
import { ShortCodePanel } from './e2ee/ShortCodePanel';
import { errorMessage, localizePage, t } from './i18n';
import { MeetingSession } from './MeetingSession';

/** Camera at 720p30 and a voice-tuned microphone. */
const callConstraints: MediaStreamConstraints = {
  video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
};

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element as T;
}

/**
 * The call screen shared by the station seat and the booth kiosk: the other side large, self-view
 * small, the state and the time left. The terminal holds a device credential; it listens on the
 * device channel and joins by itself when its assignment arrives and the meeting opens.
 */
export async function runCallScreen(): Promise<void> {
  localizePage();
  const status = byId<HTMLElement>('status');
  const countdown = byId<HTMLElement>('countdown');
  const remoteVideo = byId<HTMLVideoElement>('remote-video');
  const remoteAudio = byId<HTMLAudioElement>('remote-audio');
  const selfView = byId<HTMLVideoElement>('self-view');
  const stage = selfView.parentElement!;
  const badge = createEncryptionBadge();
  status.after(badge.element);
  const setStatus = (text: string, tone: 'ok' | 'warn' | 'bad' = 'ok') => {
    status.textContent = text;
    status.dataset.tone = tone;
  };
  const refuse = (code: string) => {
    setStatus(`${t('state.refused')}: ${errorMessage(code)}`, 'bad');
    document.body.dataset.error = code;
    document.body.dataset.state = 'refused';
  };

  const credential = takeDeviceCredential();
  if (!credential) {
    setStatus(t('noCredential'), 'warn');
    return;
  }

  const channel = new DeviceChannel(credential);
  let latest: DeviceAssignment | null = null;
  let clockSkewMs = 0;
  let current: { meetingId: string; session: MeetingSession } | undefined;
  let pendingStart: ReturnType<typeof setTimeout> | undefined;
  const finished = new Set<string>();

  const startWhenOpen = () => {
    clearTimeout(pendingStart);
    const assignment = latest;
    if (!assignment || current || finished.has(assignment.meetingId)) return;
    const opensAt = tokenNotBefore(assignment.token) ?? assignment.startsAt;
    const wait = opensAt - (Date.now() + clockSkewMs);
    if (wait > 0) {
      setStatus(t('state.waitingSlot'), 'warn');
      pendingStart = setTimeout(startWhenOpen, Math.min(wait + 500, 60_000));
      return;
    }
    void startMeeting(assignment.meetingId);
  };

  channel.on('assignment', (assignment, info) => {
    latest = assignment;
    clockSkewMs = info.clockSkewMs;
    if (!assignment && !current) setStatus(t('state.idle'), 'warn');
    startWhenOpen();
  });
  channel.on('refused', (error) => refuse(error.code));
  setStatus(t('state.idle'), 'warn');
  channel.start();

  async function startMeeting(meetingId: string): Promise<void> {
    let local: MediaStream;
    try {
      local = await navigator.mediaDevices.getUserMedia(callConstraints);
    } catch {
      setStatus(t('mediaError'), 'bad');
      return;
    }
    selfView.srcObject = local;
    const session = new MeetingSession({
      credential: credential!,
      // The device channel may re-issue the token (an extension); reconnections use the newest.
      token: () => (latest?.meetingId === meetingId ? latest.token : ''),
      media: { microphone: local.getAudioTracks()[0]!, camera: local.getVideoTracks()[0]! },
    });
    current = { meetingId, session };
    document.getElementById('privacy-receipt')?.remove();
    let codePanel: ShortCodePanel | undefined;
    session.on('encryption', (state) => {
      badge.show(state);
      document.body.dataset.e2ee = state;
    });
    // Frame counters of the encryption worker, for support staff and tests (numbers only).
    session.on('frameStats', (stats) => {
      document.body.dataset.framesSealed = String(stats.sealed.audio + stats.sealed.video);
      document.body.dataset.framesOpened = String(stats.opened.audio + stats.opened.video);
      document.body.dataset.framesRejected = String(Object.values(stats.rejected).reduce((a, b) => a + b, 0));
    });
    session.on('shortCode', (code) => {
      if (!codePanel) {
        const lawyer = session.role === 'lawyer';
        codePanel = new ShortCodePanel({ canConfirm: lawyer, onVerdict: (match) => session.confirmCode(match) });
        stage.append(codePanel.element);
      }
      codePanel.show(code);
    });
    const remote = { video: new MediaStream(), audio: new MediaStream() };
    remoteVideo.srcObject = remote.video;
    remoteAudio.srcObject = remote.audio;
    const tracks = new Map<string, MediaStreamTrack>();
    let slotEndsAt = 0;
    let ticker: ReturnType<typeof setInterval> | undefined;
    const stopLocal = () => {
      for (const track of local.getTracks()) track.stop();
      clearInterval(ticker);
      finished.add(meetingId);
      current = undefined;
    };

    session.on('remoteTrack', ({ producerId, track }) => {
      tracks.set(producerId, track);
      (track.kind === 'video' ? remote.video : remote.audio).addTrack(track);
      void remoteAudio.play().catch(() => undefined);
    });
    session.on('remoteTrackEnded', (producerId) => {
      const track = tracks.get(producerId);
      if (track) (track.kind === 'video' ? remote.video : remote.audio).removeTrack(track);
      tracks.delete(producerId);
    });
    session.on('peer', (present) => setStatus(present ? t('state.joined') : t('state.waitingPeer'), present ? 'ok' : 'warn'));
    session.on('slotWarning', ({ secondsLeft }) => {
      setStatus(t('state.endingSoon').replace('{minutes}', String(Math.max(1, Math.round(secondsLeft / 60)))), 'warn');
      document.body.dataset.warning = String(secondsLeft);
    });
    session.on('slotExtended', (endsAt) => {
      slotEndsAt = endsAt;
      delete document.body.dataset.warning;
    });
    session.on('state', (state, detail) => {
      document.body.dataset.state = state;
      if (state === 'connecting') setStatus(t('state.connecting'), 'warn');
      if (state === 'reconnecting') setStatus(t('state.reconnecting'), 'warn');
      if (state === 'ended') {
        const reason = typeof detail === 'string' ? detail : undefined;
        const failedCheck = reason === 'code_mismatch' || reason === 'key_exchange_failed';
        setStatus(failedCheck ? t(`ended.${reason}`) : t('state.ended'), failedCheck ? 'bad' : 'ok');
        if (reason) document.body.dataset.endReason = reason;
        codePanel?.element.remove();
        const lawyer = session.role === 'lawyer';
        stopLocal();
        if (lawyer) void showReceipt(meetingId);
        startWhenOpen();
      }
      if (state === 'refused') {
        refuse(typeof detail === 'object' ? detail.code : 'INTERNAL');
        stopLocal();
      }
    });
    session.on('joined', ({ slot, serverTime }) => {
      const skew = serverTime - Date.now();
      slotEndsAt = slot.endsAt;
      const tick = () => {
        const left = Math.max(0, slotEndsAt - (Date.now() + skew));
        const minutes = Math.floor(left / 60_000);
        const seconds = Math.floor((left % 60_000) / 1000);
        countdown.textContent = `${t('timeLeft')} ${minutes}:${String(seconds).padStart(2, '0')}`;
      };
      tick();
      clearInterval(ticker);
      ticker = setInterval(tick, 1000);
    });
    session.start();
  }

  /** The station shows the meeting's privacy receipt when it ends. */
  async function showReceipt(meetingId: string): Promise<void> {
    let card: HTMLElement;
    try {
      card = renderPrivacyReceipt(await fetchPrivacyReceipt(meetingId, credential!));
    } catch {
      card = document.createElement('section');
      card.id = 'privacy-receipt';
      card.className = 'privacy-receipt';
      card.textContent = t('receipt.unavailable');
    }
    document.getElementById('privacy-receipt')?.remove();
    stage.append(card);
  }
}
