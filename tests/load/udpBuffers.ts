import dgram from 'node:dgram';

const bufferBytes = 4 * 1024 * 1024;
let enlarged = false;

/**
 * Give every UDP socket this process (or worker thread) binds a 4 MiB send and receive buffer.
 * werift cannot be asked for it, and at the default ~208 KiB a bot whose event loop lags behind
 * (many bots per thread on a busy host) loses packets in its own kernel buffer, which a load run
 * would then blame on the SFU. The kernel caps the size at net.core.rmem_max / wmem_max.
 */
export function enlargeUdpBuffers(): void {
  if (enlarged) return;
  enlarged = true;
  const bind = dgram.Socket.prototype.bind;
  dgram.Socket.prototype.bind = function (this: dgram.Socket, ...args: unknown[]) {
    this.once('listening', () => {
      try {
        this.setRecvBufferSize(bufferBytes);
        this.setSendBufferSize(bufferBytes);
      } catch {
        // A socket closed before listening keeps its defaults.
      }
    });
    return (bind as (...a: unknown[]) => dgram.Socket).apply(this, args);
  } as typeof bind;
}
