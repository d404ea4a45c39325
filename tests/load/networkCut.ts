import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket as TcpSocket } from 'node:net';
import type { RTCPeerConnection } from 'werift';

/** Something cut off until `restore()`. */
interface Cut {
  restore(): void;
}

/**
 * The UDP sockets werift's ICE uses for `pcs` (iceTransports → connection → protocols →
 * transport.socket; werift 0.24's layout, checked at run time).
 */
function udpSocketsOf(pcs: RTCPeerConnection[]): UdpSocket[] {
  const sockets: UdpSocket[] = [];
  for (const pc of pcs) {
    for (const ice of pc.iceTransports as unknown as { connection?: { protocols?: { transport?: { socket?: UdpSocket } }[] } }[]) {
      for (const protocol of ice.connection?.protocols ?? []) if (protocol.transport?.socket) sockets.push(protocol.transport.socket);
    }
  }
  if (sockets.length === 0) throw new Error('no UDP socket found in the bot’s peer connections (werift layout changed?)');
  return sockets;
}

/** Datagrams neither leave nor arrive: sends are dropped silently, arrivals are not delivered. */
function silenceUdp(socket: UdpSocket): Cut {
  const send = socket.send;
  const emit = socket.emit;
  socket.send = ((...args: unknown[]) => {
    const callback = args.at(-1);
    if (typeof callback === 'function') queueMicrotask(() => (callback as (error: null, bytes: number) => void)(null, 0));
  }) as typeof socket.send;
  socket.emit = ((event: string | symbol, ...args: unknown[]) => (event === 'message' ? false : Reflect.apply(emit, socket, [event, ...args]))) as typeof socket.emit;
  return {
    restore() {
      socket.send = send;
      socket.emit = emit;
    },
  };
}

/**
 * A TCP connection across a cut link: nothing is read, writes wait in the socket (as TCP keeps
 * retransmitting), and both go on when the link is back, as long as the cut is shorter than TCP's
 * and Socket.IO's give-up times.
 */
function stallTcp(socket: TcpSocket): Cut {
  socket.pause();
  socket.cork();
  return {
    restore() {
      socket.uncork();
      socket.resume();
    },
  };
}

/** Cut one client's network (its media peer connections and its signaling connection) until restore(). */
export function cutNetwork(pcs: RTCPeerConnection[], signaling: TcpSocket | undefined): Cut {
  const cuts = [...udpSocketsOf(pcs).map(silenceUdp), ...(signaling ? [stallTcp(signaling)] : [])];
  return {
    restore() {
      for (const cut of cuts) cut.restore();
    },
  };
}
