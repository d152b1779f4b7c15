// A TCP port on 127.0.0.1 that was free a moment ago, for child processes to listen on.
import { createServer } from 'node:net';

/** Binds 127.0.0.1:0, reads the port the OS chose and closes the socket again. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close((err) => (err === undefined ? resolve(port) : reject(err)));
    });
  });
}
