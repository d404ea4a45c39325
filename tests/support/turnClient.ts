import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

/**
 * Just enough of a TURN client (RFC 5766 over UDP, long-term credentials) to ask a real TURN
 * server for an allocation and a permission, the way a browser does, and read its answer.
 */
const magicCookie = 0x2112a442;
const method = { allocate: 0x003, refresh: 0x004, createPermission: 0x008 } as const;
const attr = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  lifetime: 0x000d,
  xorPeerAddress: 0x0012,
  realm: 0x0014,
  nonce: 0x0015,
  xorRelayedAddress: 0x0016,
  requestedTransport: 0x0019,
} as const;

export type TurnOutcome = { ok: true; relayed?: { ip: string; port: number } } | { ok: false; code: number; reason: string };

interface Message {
  type: number;
  attributes: Map<number, Buffer>;
}

export class TurnClientSession {
  private readonly socket: Socket;
  private realm = '';
  private nonce = '';
  private key: Buffer = Buffer.alloc(0);
  private username = '';

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.socket = createSocket('udp4');
  }

  /** Allocate a UDP relay with `username`/`password` (401 challenge first, then the signed request). */
  async allocate(username: string, password: string): Promise<TurnOutcome> {
    const transport = Buffer.from([17, 0, 0, 0]);
    const challenge = await this.transact(method.allocate, [[attr.requestedTransport, transport]], false);
    const error = errorOf(challenge);
    if (error?.code !== 401) return error ?? { ok: false, code: 0, reason: 'allocation without credentials was accepted' };
    this.realm = challenge.attributes.get(attr.realm)?.toString() ?? '';
    this.nonce = challenge.attributes.get(attr.nonce)?.toString() ?? '';
    this.username = username;
    this.key = createHash('md5').update(`${username}:${this.realm}:${password}`).digest();
    const answer = await this.transact(method.allocate, [[attr.requestedTransport, transport]], true);
    const relayed = answer.attributes.get(attr.xorRelayedAddress);
    return errorOf(answer) ?? { ok: true, ...(relayed ? { relayed: readXorAddress(relayed) } : {}) };
  }

  /** Ask for permission to relay to `peerIp` (the TURN server's peer policy decides). */
  async createPermission(peerIp: string): Promise<TurnOutcome> {
    const answer = await this.transact(method.createPermission, [[attr.xorPeerAddress, xorAddress(peerIp, 9)]], true);
    return errorOf(answer) ?? { ok: true };
  }

  async close(): Promise<void> {
    if (this.username) await this.transact(method.refresh, [[attr.lifetime, Buffer.from([0, 0, 0, 0])]], true).catch(() => undefined);
    this.socket.close();
  }

  private transact(type: number, attributes: [number, Buffer][], signed: boolean): Promise<Message> {
    const id = randomBytes(12);
    const all: [number, Buffer][] = signed
      ? [...attributes, [attr.username, Buffer.from(this.username)], [attr.realm, Buffer.from(this.realm)], [attr.nonce, Buffer.from(this.nonce)]]
      : attributes;
    let body = Buffer.concat(all.map(([t, v]) => tlv(t, v)));
    if (signed) {
      const withMi = header(type, body.length + 24, id);
      const mac = createHmac('sha1', this.key).update(Buffer.concat([withMi, body])).digest();
      body = Buffer.concat([body, tlv(attr.messageIntegrity, mac)]);
    }
    const packet = Buffer.concat([header(type, body.length, id), body]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off('message', onMessage);
        reject(new Error(`no TURN answer from ${this.host}:${this.port}`));
      }, 3000);
      const onMessage = (data: Buffer) => {
        if (data.length < 20 || !data.subarray(8, 20).equals(id)) return;
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        resolve(parse(data));
      };
      this.socket.on('message', onMessage);
      this.socket.send(packet, this.port, this.host);
    });
  }
}

function header(type: number, length: number, id: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(length, 2);
  h.writeUInt32BE(magicCookie, 4);
  id.copy(h, 8);
  return h;
}

function tlv(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

function parse(data: Buffer): Message {
  const attributes = new Map<number, Buffer>();
  let offset = 20;
  const end = 20 + data.readUInt16BE(2);
  while (offset + 4 <= end) {
    const type = data.readUInt16BE(offset);
    const length = data.readUInt16BE(offset + 2);
    attributes.set(type, data.subarray(offset + 4, offset + 4 + length));
    offset += 4 + Math.ceil(length / 4) * 4;
  }
  return { type: data.readUInt16BE(0), attributes };
}

/** Error responses have class bits 0x0110 set. */
function errorOf(message: Message): { ok: false; code: number; reason: string } | undefined {
  if ((message.type & 0x0110) !== 0x0110) return undefined;
  const value = message.attributes.get(attr.errorCode);
  if (!value) return { ok: false, code: 0, reason: 'error without ERROR-CODE' };
  return { ok: false, code: (value[2]! & 0x7) * 100 + value[3]!, reason: value.subarray(4).toString() };
}

function xorAddress(ip: string, port: number): Buffer {
  const value = Buffer.alloc(8);
  value[1] = 0x01;
  value.writeUInt16BE(port ^ (magicCookie >>> 16), 2);
  const octets = ip.split('.').map(Number);
  value.writeUInt32BE((((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) ^ magicCookie) >>> 0, 4);
  return value;
}

function readXorAddress(value: Buffer): { ip: string; port: number } {
  const port = value.readUInt16BE(2) ^ (magicCookie >>> 16);
  const raw = (value.readUInt32BE(4) ^ magicCookie) >>> 0;
  return { ip: [raw >>> 24, (raw >>> 16) & 255, (raw >>> 8) & 255, raw & 255].join('.'), port };
}
