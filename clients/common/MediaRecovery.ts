/** What the recovery can do to a session's media; MeetingSession provides it. */
export interface RecoverableMedia {
  /** Restart ICE on one transport (new ICE parameters from the SFU). */
  restartIce(direction: 'send' | 'recv'): Promise<void>;
  /** Close the media and join the meeting again on the same connection (fresh transports). */
  rejoin(): Promise<void>;
  /** The slot has not ended yet (no point rejoining after it). */
  withinSlot(): boolean;
  /** Media is being recovered (true) or flows again (false). */
  onRecovering(recovering: boolean): void;
}

export interface RecoveryTimings {
  /** A transport `disconnected` this long is restarted (it often comes back by itself first). */
  disconnectedGraceMs: number;
  /** After an ICE restart, a transport not connected within this long triggers a full rejoin. */
  iceRestartTimeoutMs: number;
}

export const defaultRecoveryTimings: RecoveryTimings = { disconnectedGraceMs: 2000, iceRestartTimeoutMs: 8000 };

type TransportState = RTCPeerConnectionState;

/**
 * Brings a session's media back after a network change: an ICE restart first (cheap, keeps every
 * producer and consumer), then, if the transport stays down, a full rejoin within the slot. UI-free:
 * it only reports whether media is being recovered.
 */
export class MediaRecovery {
  private readonly states = new Map<'send' | 'recv', TransportState>();
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private restarting = false;
  private rejoining = false;
  private recovering = false;

  constructor(
    private readonly media: RecoverableMedia,
    private readonly timings: RecoveryTimings = defaultRecoveryTimings,
  ) {}

  /** A transport's connection state changed. */
  onTransportState(direction: 'send' | 'recv', state: TransportState): void {
    this.states.set(direction, state);
    if (state === 'connected') {
      if ([...this.states.values()].every((s) => s === 'connected' || s === 'new' || s === 'connecting')) this.recovered();
      return;
    }
    if (state === 'failed') {
      this.setRecovering(true);
      void this.restart();
      return;
    }
    if (state === 'disconnected' && !this.graceTimer && !this.restarting) {
      this.setRecovering(true);
      this.graceTimer = setTimeout(() => {
        this.graceTimer = undefined;
        if ([...this.states.values()].some((s) => s === 'disconnected' || s === 'failed')) void this.restart();
      }, this.timings.disconnectedGraceMs);
    }
  }

  /** The transports are gone (the connection dropped, the session ended): forget everything. */
  reset(): void {
    clearTimeout(this.graceTimer);
    clearTimeout(this.restartTimer);
    this.graceTimer = this.restartTimer = undefined;
    this.states.clear();
    this.restarting = false;
    this.recovering = false;
  }

  private async restart(): Promise<void> {
    if (this.restarting || this.rejoining) return;
    this.restarting = true;
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    const down = [...this.states].filter(([, s]) => s === 'disconnected' || s === 'failed').map(([d]) => d);
    try {
      for (const direction of down) await this.media.restartIce(direction);
    } catch {
      // The SFU may have lost the transport (it restarted): only a rejoin can help.
      this.restarting = false;
      void this.rejoin();
      return;
    }
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restarting = false;
      if ([...this.states.values()].some((s) => s !== 'connected')) void this.rejoin();
    }, this.timings.iceRestartTimeoutMs);
  }

  private async rejoin(): Promise<void> {
    if (this.rejoining || !this.media.withinSlot()) return;
    this.rejoining = true;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.states.clear();
    try {
      await this.media.rejoin();
    } finally {
      this.rejoining = false;
      this.restarting = false;
    }
  }

  private recovered(): void {
    clearTimeout(this.graceTimer);
    clearTimeout(this.restartTimer);
    this.graceTimer = this.restartTimer = undefined;
    this.restarting = false;
    this.setRecovering(false);
  }

  private setRecovering(recovering: boolean): void {
    if (this.recovering === recovering) return;
    this.recovering = recovering;
    this.media.onRecovering(recovering);
  }
}
