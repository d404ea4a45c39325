/**
 * Where the lawyer's document comes from: a second (document) camera, or a screen or window of
 * this terminal. The track is tuned for detail: sharp text before smooth motion.
 */
export type DocumentSourceKind = { kind: 'camera'; deviceId: string } | { kind: 'screen' };

export async function openDocumentSource(source: DocumentSourceKind): Promise<MediaStreamTrack> {
  const stream =
    source.kind === 'camera'
      ? await navigator.mediaDevices.getUserMedia({
          video: { deviceId: { exact: source.deviceId }, width: { ideal: 1920 }, height: { ideal: 1080 }, frameRate: { ideal: 15 } },
        })
      : await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
  const track = stream.getVideoTracks()[0];
  if (!track) throw new Error('no video in the chosen source');
  track.contentHint = 'detail';
  return track;
}

/** Cameras other than the one in use for the face: candidates for a document camera. */
export function documentCameras(cameras: MediaDeviceInfo[], faceCameraId: string | undefined): MediaDeviceInfo[] {
  return cameras.filter((c) => c.deviceId && c.deviceId !== faceCameraId);
}
