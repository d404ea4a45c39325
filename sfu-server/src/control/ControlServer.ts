import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { controlChannels } from './channels';
import {
  controlEnvelopeSchema,
  controlRequestSchemas,
  isControlOperation,
  maxControlRequestBytes,
  type ControlOperation,
  type ControlReply,
  type ControlRequest,
  type ControlResponse,
} from './contract';
import { ControlError } from './ControlError';
import { repliesChannelSchema } from './schemas';

export type ControlHandlers = {
  [Op in ControlOperation]: (args: ControlRequest<Op>) => Promise<ControlResponse<Op>>;
};

/** Called once per answered request: the operation (or "unknown") and "ok" or the error code. */
export type ControlObserver = (op: string, outcome: string, durationMs: number) => void;

/** The head of an envelope as ControlClient writes it, for answering a request too large to parse. */
const envelopeHead = /^\{"id":"([^"\\]{1,64})","op":"([^"\\]{1,64})","replyTo":"([^"\\]{1,128})"/;

/**
 * SFU side of the control contract over Redis pub/sub: receives requests on the node's channel,
 * validates them, runs the handler and publishes the reply on the caller's channel.
 */
export class ControlServer {
  constructor(
    private readonly nodeId: string,
    private readonly subscriber: Redis,
    private readonly publisher: Redis,
    private readonly handlers: ControlHandlers,
    private readonly log: Logger,
    private readonly observe: ControlObserver = () => undefined,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === controlChannels.requests(this.nodeId)) void this.onMessage(message);
    });
    await this.subscriber.subscribe(controlChannels.requests(this.nodeId));
  }

  async stop(): Promise<void> {
    await this.subscriber.unsubscribe(controlChannels.requests(this.nodeId));
  }

  private async onMessage(message: string): Promise<void> {
    if (Buffer.byteLength(message) > maxControlRequestBytes) {
      this.refuseOversized(message);
      return;
    }
    let envelope;
    try {
      envelope = controlEnvelopeSchema.parse(JSON.parse(message));
    } catch {
      this.log.warn('malformed control envelope; dropped');
      this.observe('unknown', 'MALFORMED_ENVELOPE', 0);
      return;
    }
    if (Date.now() > envelope.deadline) {
      this.log.warn({ op: envelope.op, requestId: envelope.id }, 'control request past its deadline; dropped');
      this.observe(isControlOperation(envelope.op) ? envelope.op : 'unknown', 'EXPIRED', 0);
      return;
    }
    const started = performance.now();
    const reply = await this.execute(envelope.id, envelope.op, envelope.args);
    this.observe(isControlOperation(envelope.op) ? envelope.op : 'unknown', 'error' in reply ? reply.error.code : 'ok', performance.now() - started);
    await this.publisher.publish(envelope.replyTo, JSON.stringify(reply));
  }

  /** Answer PAYLOAD_TOO_LARGE when the head names a reply channel; otherwise drop silently. */
  private refuseOversized(message: string): void {
    const bytes = Buffer.byteLength(message);
    const head = envelopeHead.exec(message.slice(0, 512));
    this.log.warn({ bytes, op: head?.[2] }, 'control request too large; refused');
    this.observe(head && isControlOperation(head[2]!) ? head[2]! : 'unknown', 'PAYLOAD_TOO_LARGE', 0);
    if (!head || !repliesChannelSchema.safeParse(head[3]).success) return;
    const reply: ControlReply = {
      id: head[1]!,
      error: { code: 'PAYLOAD_TOO_LARGE', message: `request of ${bytes} bytes exceeds ${maxControlRequestBytes}` },
    };
    void this.publisher.publish(head[3]!, JSON.stringify(reply)).catch(() => undefined);
  }

  private async execute(id: string, op: string, rawArgs: unknown): Promise<ControlReply> {
    try {
      if (!isControlOperation(op)) throw new ControlError('UNKNOWN_OPERATION', `unknown operation "${op.slice(0, 64)}"`);
      const parsed = controlRequestSchemas[op].safeParse(rawArgs);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        throw new ControlError('BAD_REQUEST', `${op}: ${first?.path.join('.') || 'args'}: ${first?.message ?? 'invalid'}`);
      }
      const handler = this.handlers[op] as (args: unknown) => Promise<unknown>;
      return { id, result: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof ControlError) return { id, error: error.toBody() };
      this.log.error({ err: error, op }, 'control operation failed');
      return { id, error: { code: 'INTERNAL', message: `${op} failed inside the SFU` } };
    }
  }
}
