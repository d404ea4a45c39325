import type { E2eeMessage, E2eePolicy, E2eeStatus, Role } from '@huijian/signaling/protocol';
import { Emitter } from '../Emitter';
import { FrameProtection, transformSupport } from './FrameProtection';
import type { FrameStats } from './frameStats';
import { KeyExchange, type EstablishedExchange } from './KeyExchange';
import type { ShortCode } from './shortCode';

/**
 * - `off`: the meeting's policy does not ask for end-to-end encryption (a standing warning);
 * - `unavailable`: it does, and this browser cannot transform frames: no media is started;
 * - `negotiating`: waiting for the other seat and the key exchange;
 * - `active`: every frame sent and received is end-to-end encrypted;
 * - `failed`: the key exchange was tampered with.
 */
export type EncryptionState = 'off' | 'unavailable' | 'negotiating' | 'active' | 'failed';

/** The short code of the exchange in force, and whether the lawyer confirmed it. */
export interface CodeToCompare {
  exchangeId: string;
  code: ShortCode;
  confirmed: boolean;
}

type EncryptionEvents = {
  state: [state: EncryptionState];
  code: [code: CodeToCompare];
  stats: [stats: FrameStats];
};

export interface EndToEndEncryptionOptions {
  seat: Role;
  meetingId: string;
  policy: E2eePolicy;
  /** Send a key-exchange message to the other seat (through signaling). */
  send: (message: E2eeMessage) => void;
  /** Tell signaling this page's encryption state (audit, receipt). */
  report: (status: E2eeStatus) => void;
}

/**
 * End-to-end encryption of one seat's session: the key exchange with the other seat, the frame
 * transforms on every sender and receiver, and the short code to compare aloud. New keys on every
 * (re)join: a session makes a new instance each time it joins.
 */
export class EndToEndEncryption extends Emitter<EncryptionEvents> {
  private readonly protection: FrameProtection | undefined;
  private readonly exchange: KeyExchange | undefined;
  private current: CodeToCompare | undefined;
  private stateNow: EncryptionState;
  private readonly active: Promise<boolean>;
  private settleActive: (active: boolean) => void = () => undefined;

  constructor(private readonly options: EndToEndEncryptionOptions) {
    super();
    this.active = new Promise((resolve) => (this.settleActive = resolve));
    const support = transformSupport();
    if (options.policy === 'off') {
      this.stateNow = 'off';
      this.settleActive(true);
      return;
    }
    if (!support) {
      this.stateNow = 'unavailable';
      this.settleActive(false);
      options.report({ state: 'unavailable' });
      return;
    }
    this.stateNow = 'negotiating';
    this.protection = new FrameProtection(support);
    this.protection.on('stats', (stats) => this.emit('stats', stats));
    this.protection.on('keysApplied', (exchangeId) => this.keysApplied(exchangeId));
    this.exchange = new KeyExchange(options.seat, options.meetingId, options.send);
    this.exchange.on('established', (established) => this.established(established));
    this.exchange.on('failed', ({ exchangeId, reason }) => {
      this.setState('failed');
      this.settleActive(false);
      options.report({ state: 'failed', exchangeId, reason });
    });
  }

  get state(): EncryptionState {
    return this.stateNow;
  }

  /** Whether media must go through the transforms. */
  get required(): boolean {
    return this.protection !== undefined;
  }

  get code(): CodeToCompare | undefined {
    return this.current;
  }

  /** RTCPeerConnection settings for the transports (the legacy transform API needs one). */
  get peerConnectionSettings(): RTCConfiguration {
    return this.protection?.peerConnectionSettings ?? {};
  }

  /** Resolves true once media may start (keys in place, or the policy is off); false if it never may. */
  whenMediaMayStart(): Promise<boolean> {
    return this.active;
  }

  /**
   * The video codec encrypted frames must use: VP8. (H.264 frames with only their NAL headers
   * clear do not survive Chromium's receive path, which parses parameter sets and slice headers
   * before the transform runs; see docs/confidentiality.md.)
   */
  static readonly videoMimeType = 'video/VP8';

  /** This browser cannot meet the policy after all (e.g. no VP8): tell signaling and start nothing. */
  giveUp(): void {
    if (!this.protection) return;
    this.setState('unavailable');
    this.settleActive(false);
    this.options.report({ state: 'unavailable' });
  }

  /** Lawyer: run a new key exchange (on joining with the other seat present, and whenever it (re)joins). */
  startExchange(): void {
    if (this.exchange && this.options.seat === 'lawyer') void this.exchange.start().catch(() => undefined);
  }

  receive(message: E2eeMessage): void {
    void this.exchange?.receive(message).catch(() => undefined);
  }

  protectSender(sender: RTCRtpSender, kind: 'audio' | 'video'): void {
    this.protection?.protectSender(sender, kind);
  }

  protectReceiver(receiver: RTCRtpReceiver, kind: 'audio' | 'video'): void {
    this.protection?.protectReceiver(receiver, kind);
  }

  /** The lawyer confirmed the code of this exchange (told by signaling, or confirmed here). */
  codeConfirmed(exchangeId: string): void {
    if (this.current?.exchangeId !== exchangeId || this.current.confirmed) return;
    this.current = { ...this.current, confirmed: true };
    this.emit('code', this.current);
  }

  close(): void {
    this.exchange?.close();
    this.protection?.close();
    this.settleActive(false);
  }

  private established(exchange: EstablishedExchange): void {
    this.current = { exchangeId: exchange.exchangeId, code: exchange.shortCode, confirmed: false };
    this.protection!.applyKeys(exchange.exchangeId, exchange.send, exchange.receive);
  }

  private keysApplied(exchangeId: string): void {
    if (this.current?.exchangeId !== exchangeId) return;
    this.setState('active');
    this.emit('code', this.current);
    this.options.report({ state: 'active', exchangeId });
    this.settleActive(true);
  }

  private setState(state: EncryptionState): void {
    if (this.stateNow === state) return;
    this.stateNow = state;
    this.emit('state', state);
  }
}
