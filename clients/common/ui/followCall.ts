import type { MeetingSession, SessionState } from '../MeetingSession';
import type { QualityMonitor } from '../QualityMonitor';
import type { Countdown, SlotWarningBanner } from './Countdown';
import type { QualityIndicator } from './QualityIndicator';

/**
 * What both call screens do with a meeting session's events: the connection state on <body>, the
 * other seat's presence, the countdown from the slot, the slot warnings and extensions, and the
 * quality indicator. The screen renders its own way on each.
 */
export function followCall(
  session: MeetingSession,
  parts: { countdown: Countdown; warning: SlotWarningBanner; monitor: QualityMonitor; quality: QualityIndicator },
  on: { state(state: SessionState): void; peer(present: boolean): void; extended?(endsAt: number): void },
): void {
  session.on('state', (state) => {
    document.body.dataset.state = state;
    on.state(state);
  });
  session.on('peer', (present) => on.peer(present));
  session.on('joined', ({ slot }) => {
    parts.countdown.run(slot.endsAt);
    parts.monitor.start();
  });
  session.on('slotWarning', ({ secondsLeft }) => parts.warning.show(secondsLeft));
  session.on('slotExtended', (endsAt) => {
    parts.countdown.run(endsAt);
    parts.warning.clear();
    on.extended?.(endsAt);
  });
  parts.monitor.on('quality', (assessment) => parts.quality.show(assessment));
}
