import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { controlChannels } from './channels';
import {
  controlEnvelopeSchema,
  controlRequestSchemas,
  isControlOperation,
  type ControlOperation,
  type ControlReply,
  type ControlRequest,
  type ControlResponse,
} from './contract';
import { ControlError } from './ControlError';

export type ControlHandlers = {
  [Op in ControlOperation]: (args: ControlRequest<Op>) => Promise<ControlResponse<Op>>;
};

/** Largest request accepted from the wire; larger ones are refused before parsing. */
const maxRequestBytes = 64 * 1024;

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
    if (message.length > maxRequestBytes) {
      this.log.warn({ bytes: message.length }, 'control request too large; dropped');
      return;
    }
    let envelope;
    try {
      envelope = controlEnvelopeSchema.parse(JSON.parse(message));
    } catch {
      this.log.warn('malformed control envelope; dropped');
      return;
    }
    if (Date.now() > envelope.deadline) {
      this.log.warn({ op: envelope.op, requestId: envelope.id }, 'control request past its deadline; dropped');
      return;
    }
    const reply = await this.execute(envelope.id, envelope.op, envelope.args);
    await this.publisher.publish(envelope.replyTo, JSON.stringify(reply));
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
