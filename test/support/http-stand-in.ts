import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface StandInReply {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/**
 * A provider's HTTP API on loopback, for the real client to talk to: it keeps every request and
 * answers with what `handler` decides (the provider's documented success and error shapes).
 */
export class HttpStandIn {
  readonly requests: StandInRequest[] = [];
  private server!: Server;

  private constructor(private readonly handler: (request: StandInRequest) => StandInReply) {}

  static async start(handler: (request: StandInRequest) => StandInReply): Promise<HttpStandIn> {
    const standIn = new HttpStandIn(handler);
    standIn.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        standIn.requests.push(request);
        let reply: StandInReply;
        try {
          reply = standIn.handler(request);
        } catch (error) {
          reply = { status: 500, body: String(error) };
        }
        res.writeHead(reply.status, reply.headers ?? { 'content-type': 'application/json' });
        res.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
