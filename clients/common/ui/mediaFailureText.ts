import { t } from '../i18n';
import type { MediaFailure } from '../media/LocalMedia';

/**
 * What to say when a camera or microphone fails, to whom: the lawyer (what to try) or, on the
 * kiosk, the staff (what to check).
 */
export function mediaFailureText(failure: MediaFailure, audience: 'lawyer' | 'staff'): string {
  const device = t(failure.device === 'camera' ? 'media.camera' : 'media.microphone');
  return t(audience === 'lawyer' ? `media.failure.lawyer.${failure.reason}` : `media.failure.staff.${failure.reason}`, { device });
}
