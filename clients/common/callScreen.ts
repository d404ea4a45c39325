import type { DeviceAssignment } from '@huijian/signaling/protocol';
import { DeviceChannel } from './DeviceChannel';
import { takeDeviceCredential, tokenNotBefore } from './deviceCredential';
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
        setStatus(t('state.ended'), 'ok');
        stopLocal();
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
}
