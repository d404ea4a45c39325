/** Which local device failed, and how. */
export type MediaFailure = { device: 'camera' | 'microphone'; reason: 'denied' | 'not_found' | 'busy' | 'other' };

export interface LocalTracks {
  camera?: MediaStreamTrack;
  microphone?: MediaStreamTrack;
  failures: MediaFailure[];
}

/** The devices this terminal uses, chosen on the pre-call check and remembered across restarts. */
export interface DeviceChoice {
  cameraId?: string;
  microphoneId?: string;
}

const storageKey = 'mediaDevices';

export function rememberedDevices(): DeviceChoice {
  try {
    const parsed = JSON.parse(localStorage.getItem(storageKey) ?? '{}') as DeviceChoice;
    return { ...(typeof parsed.cameraId === 'string' ? { cameraId: parsed.cameraId } : {}), ...(typeof parsed.microphoneId === 'string' ? { microphoneId: parsed.microphoneId } : {}) };
  } catch {
    return {};
  }
}

export function rememberDevices(choice: DeviceChoice): void {
  localStorage.setItem(storageKey, JSON.stringify(choice));
}

/** HD camera (720p30) and a voice-tuned microphone. */
function constraints(kind: 'camera' | 'microphone', deviceId: string | undefined): MediaTrackConstraints {
  const device = deviceId ? { deviceId: { exact: deviceId } } : {};
  return kind === 'camera'
    ? { ...device, width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } }
    : { ...device, echoCancellation: true, noiseSuppression: true, autoGainControl: true };
}

function failureOf(device: MediaFailure['device'], error: unknown): MediaFailure {
  const name = (error as { name?: string } | undefined)?.name;
  const reason = name === 'NotAllowedError' || name === 'SecurityError'
    ? 'denied'
    : name === 'NotFoundError' || name === 'OverconstrainedError'
      ? 'not_found'
      : name === 'NotReadableError' || name === 'AbortError'
        ? 'busy'
        : 'other';
  return { device, reason };
}

async function openOne(kind: 'camera' | 'microphone', deviceId: string | undefined): Promise<MediaStreamTrack> {
  const request = kind === 'camera' ? { video: constraints(kind, deviceId) } : { audio: constraints(kind, deviceId) };
  try {
    const stream = await navigator.mediaDevices.getUserMedia(request);
    return kind === 'camera' ? stream.getVideoTracks()[0]! : stream.getAudioTracks()[0]!;
  } catch (error) {
    // A remembered device that is gone: fall back to the default one.
    if (deviceId && (error as { name?: string }).name === 'OverconstrainedError') return openOne(kind, undefined);
    throw error;
  }
}

/**
 * Open the camera and the microphone (the remembered ones if still present). One failing does not
 * stop the other: a meeting with sound only is better than none, and the failure is reported.
 */
export async function openLocalTracks(choice: DeviceChoice = rememberedDevices()): Promise<LocalTracks> {
  const result: LocalTracks = { failures: [] };
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: constraints('camera', choice.cameraId), audio: constraints('microphone', choice.microphoneId) });
    const camera = stream.getVideoTracks()[0];
    const microphone = stream.getAudioTracks()[0];
    if (camera) result.camera = camera;
    if (microphone) result.microphone = microphone;
    return result;
  } catch {
    // Find out which one fails.
  }
  for (const kind of ['camera', 'microphone'] as const) {
    try {
      result[kind] = await openOne(kind, kind === 'camera' ? choice.cameraId : choice.microphoneId);
    } catch (error) {
      result.failures.push(failureOf(kind, error));
    }
  }
  return result;
}

/** Open one device (the user picked another camera or microphone). */
export async function openDevice(kind: 'camera' | 'microphone', deviceId: string | undefined): Promise<MediaStreamTrack> {
  return openOne(kind, deviceId);
}

export interface DeviceList {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
}

export async function listDevices(): Promise<DeviceList> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return { cameras: devices.filter((d) => d.kind === 'videoinput'), microphones: devices.filter((d) => d.kind === 'audioinput') };
}
