import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { controlChannels } from './channels';
import { maxControlRequestBytes, type ControlEnvelope, type ControlOperation, type ControlReply, type ControlRequest, type ControlResponse } from './contract';
import { ControlError, controlErrorCodes, type ControlErrorCode } from './ControlError';

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: ControlError) => void;
  timer: NodeJS.Timeout;
}

/**
 * Caller side of the control contract (used by signaling): publishes a request on a node's
 * channel and waits for the reply on its own channel, with a timeout.
 */
export class ControlClient {
  readonly callerId = `caller-${randomUUID()}`;
  private readonly pending = new Map<string, PendingCall>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly defaultTimeoutMs = 5000,
  ) {}

  async start(): Promise<void> {
    const channel = controlChannels.replies(this.callerId);
    this.subscriber.on('message', (from: string, message: string) => {
      if (from === channel) this.onReply(message);
    });
    await this.subscriber.subscribe(channel);
  }

  async stop(): Promise<void> {
    for (const [id, call] of this.pending) {
      clearTimeout(call.timer);
      call.reject(new ControlError('NODE_UNAVAILABLE', 'control client stopped'));
      this.pending.delete(id);
    }
    await this.subscriber.unsubscribe(controlChannels.replies(this.callerId));
  }

  async call<Op extends ControlOperation>(
    nodeId: string,
    op: Op,
    args: ControlRequest<Op>,
    timeoutMs = this.defaultTimeoutMs,
  ): Promise<ControlResponse<Op>> {
    const id = randomUUID();
    // Field order matters: a node answers an oversized request from its head (id, op, replyTo).
    const envelope: ControlEnvelope = { id, op, replyTo: controlChannels.replies(this.callerId), deadline: Date.now() + timeoutMs, args };
    const message = JSON.stringify(envelope);
    if (Buffer.byteLength(message) > maxControlRequestBytes) {
      throw new ControlError('PAYLOAD_TOO_LARGE', `${op} request of ${Buffer.byteLength(message)} bytes exceeds ${maxControlRequestBytes}`);
    }
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ControlError('TIMEOUT', `${op} on ${nodeId} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
    // The reply may arrive (on the subscriber) before `publish` resolves; until `await reply`
    // below attaches, a rejection would count as unhandled and crash the process.
    reply.catch(() => undefined);
    const receivers = await this.publisher.publish(controlChannels.requests(nodeId), message);
    if (receivers === 0) {
      this.settle(id, { id, error: { code: 'NODE_UNAVAILABLE', message: `SFU node ${nodeId} is not listening` } });
    }
    return (await reply) as ControlResponse<Op>;
  }

  private onReply(message: string): void {
    let reply: ControlReply;
    try {
      reply = JSON.parse(message) as ControlReply;
    } catch {
      return;
    }
    if (typeof reply?.id === 'string') this.settle(reply.id, reply);
  }

  private settle(id: string, reply: ControlReply): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    clearTimeout(call.timer);
    if ('error' in reply) {
      const code = (controlErrorCodes as readonly string[]).includes(reply.error.code) ? (reply.error.code as ControlErrorCode) : 'INTERNAL';
      call.reject(new ControlError(code, reply.error.message));
    } else {
      call.resolve(reply.result);
    }
  }
}
