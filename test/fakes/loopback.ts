/**
 * What every loopback test server shares: it listens on 127.0.0.1 only (a free port), carries a
 * fault queue, and closes cleanly, releasing hung requests and open connections.
 */
import { EventEmitter } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultQueue, type Fault } from './faults';

export class LoopbackServer extends EventEmitter {
  readonly faults = new FaultQueue();
  protected readonly server: Server;
  url = '';
  host = '';

  constructor(listener: RequestListener) {
    super();
    this.server = createServer(listener);
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.host = `127.0.0.1:${port}`;
    this.url = `http://${this.host}`;
    return this;
  }

  async close(): Promise<void> {
    this.faults.releaseAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addFault(f: Fault): void {
    this.faults.add(f);
  }
}
