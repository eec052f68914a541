import { connect, type Socket } from 'node:net';
import type { ExecutorChannel } from './executor-channel.js';
import type { PortForward } from './types.js';

/**
 * Relays connections made to guestAddress:guestPort on the kernel host to
 * 127.0.0.1:hostPort here, over the executor channel (the qemu guest has no
 * network device). Either side closing a connection closes both ends.
 */
export async function forwardPort(channel: ExecutorChannel, guestPort: number, hostPort: number, guestAddress: string): Promise<PortForward> {
  const sockets = new Map<number, Socket>();
  let closed = false;
  let listenId = 0;
  await new Promise<void>((resolve, reject) => {
    try {
      listenId = channel.request({ op: 'listen', address: guestAddress, port: guestPort }, (event) => {
        switch (event.ev) {
          case 'listening':
            resolve();
            return false;
          case 'accepted':
            sockets.set(event.conn, relayTo(hostPort, event.conn));
            return false;
          case 'data':
            sockets.get(event.conn)?.write(Buffer.from(event.data, 'base64'));
            return false;
          case 'closed':
            sockets.get(event.conn)?.end();
            sockets.delete(event.conn);
            return false;
          case 'error':
          case 'lost':
            for (const socket of sockets.values()) socket.destroy();
            sockets.clear();
            reject(new Error(event.message));
            return true;
          default:
            return false;
        }
      });
    } catch (err) {
      reject(err as Error);
    }
  });

  function relayTo(port: number, conn: number): Socket {
    const socket = connect(port, '127.0.0.1');
    socket.on('data', (data) => channel.post({ op: 'send', target: listenId, conn, data: data.toString('base64') }));
    socket.on('error', () => {}); // refused or reset: 'close' follows and ends the guest side
    socket.on('close', () => {
      if (sockets.delete(conn)) channel.post({ op: 'send', target: listenId, conn, end: true });
    });
    return socket;
  }

  return {
    guestPort,
    async close() {
      if (closed) return;
      closed = true;
      for (const socket of sockets.values()) socket.destroy();
      sockets.clear();
      if (channel.isOpen) await channel.call({ op: 'unlisten', target: listenId });
    },
  };
}
