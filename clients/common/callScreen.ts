import { errorMessage, localizePage, t } from './i18n';
import { MeetingSession } from './MeetingSession';
import { takeMeetingToken } from './meetingToken';

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
 * small, the state and the time left. It starts by itself when the page holds a token.
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

  const token = takeMeetingToken();
  if (!token) {
    setStatus(t('noToken'), 'warn');
    return;
  }

  let local: MediaStream;
  try {
    local = await navigator.mediaDevices.getUserMedia(callConstraints);
  } catch {
    setStatus(t('mediaError'), 'bad');
    return;
  }
  selfView.srcObject = local;

  const session = new MeetingSession({
    token,
    media: { microphone: local.getAudioTracks()[0]!, camera: local.getVideoTracks()[0]! },
  });
  const remote = { video: new MediaStream(), audio: new MediaStream() };
  remoteVideo.srcObject = remote.video;
  remoteAudio.srcObject = remote.audio;
  const tracks = new Map<string, MediaStreamTrack>();

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
  session.on('state', (state, detail) => {
    if (state === 'connecting') setStatus(t('state.connecting'), 'warn');
    if (state === 'reconnecting') setStatus(t('state.reconnecting'), 'warn');
    if (state === 'ended') {
      setStatus(t('state.ended'), 'ok');
      for (const track of local.getTracks()) track.stop();
      sessionStorage.removeItem('meetingToken');
    }
    if (state === 'refused') {
      const code = typeof detail === 'object' ? detail.code : 'INTERNAL';
      setStatus(`${t('state.refused')}: ${errorMessage(code)}`, 'bad');
      document.body.dataset.error = code;
      for (const track of local.getTracks()) track.stop();
    }
    document.body.dataset.state = state;
  });
  session.on('joined', ({ slot, serverTime }) => {
    const skew = serverTime - Date.now();
    const tick = () => {
      const left = Math.max(0, slot.endsAt - (Date.now() + skew));
      const minutes = Math.floor(left / 60_000);
      const seconds = Math.floor((left % 60_000) / 1000);
      countdown.textContent = `${t('timeLeft')} ${minutes}:${String(seconds).padStart(2, '0')}`;
    };
    tick();
    setInterval(tick, 1000);
  });
  session.start();
}
