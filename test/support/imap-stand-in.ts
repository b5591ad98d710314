import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface StoredMessage {
  uid: number;
  flags: Set<string>;
  raw: Buffer;
}

/**
 * A mailbox on loopback speaking as much IMAP4rev1 (RFC 3501) as imapflow needs to poll one:
 * CAPABILITY, LOGIN, SELECT/EXAMINE, LIST, (UID) SEARCH, (UID) FETCH of the whole message,
 * (UID) STORE of flags, EXPUNGE, CLOSE, NOOP and LOGOUT, with literals both ways. One mailbox,
 * INBOX, held in memory. No maintained npm package serves IMAP for tests (hoodiecrow is
 * deprecated; WildDuck needs MongoDB), hence this stand-in.
 */
export class ImapStandIn {
  readonly messages: StoredMessage[] = [];
  /** Every command received, as `COMMAND args` without the tag, for tests to check the conversation. */
  readonly commands: string[] = [];
  private nextUid = 1;
  private server!: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly user: string,
    private readonly password: string,
  ) {}

  static async start(login: { user: string; password: string }): Promise<ImapStandIn> {
    const standIn = new ImapStandIn(login.user, login.password);
    standIn.server = createServer((socket) => standIn.session(socket));
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The INBOUND_IMAP_URL of this mailbox. */
  url(password = this.password): string {
    return `imap://${encodeURIComponent(this.user)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/INBOX`;
  }

  /** Delivers a message into INBOX, as an MTA would; returns its UID. */
  append(raw: Buffer, flags: string[] = []): number {
    const uid = this.nextUid++;
    this.messages.push({ uid, flags: new Set(flags), raw });
    return uid;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const state = { authenticated: false, selected: false };
    let buffer = Buffer.alloc(0);
    let pending: { line: string; literal: number } | null = null;
    const write = (text: string | Buffer) => socket.write(text);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (pending && pending.literal > 0) {
          // A literal ({n}) inside a command: its n bytes are part of the line, quoted back in.
          if (buffer.length < pending.literal) return;
          pending.line += JSON.stringify(buffer.subarray(0, pending.literal).toString('utf8'));
          buffer = buffer.subarray(pending.literal);
          pending.literal = 0;
        }
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const line = (pending?.line ?? '') + buffer.subarray(0, end).toString('utf8');
        buffer = buffer.subarray(end + 2);
        const literal = /\{(\d+)\+?\}$/.exec(line);
        if (literal) {
          pending = { line: line.slice(0, literal.index), literal: Number(literal[1]) };
          if (!literal[0].includes('+')) write('+ go ahead\r\n');
          continue;
        }
        pending = null;
        this.command(line, state, write, () => socket.end());
      }
    });
    write('* OK [CAPABILITY IMAP4rev1] Tidings IMAP stand-in ready\r\n');
  }

  private command(
    line: string,
    state: { authenticated: boolean; selected: boolean },
    write: (text: string | Buffer) => void,
    end: () => void,
  ): void {
    const [tag, ...rest] = tokens(line);
    let name = (rest.shift() ?? '').toUpperCase();
    const uid = name === 'UID';
    if (uid) name = (rest.shift() ?? '').toUpperCase();
    this.commands.push([uid ? `UID ${name}` : name, ...rest].join(' '));
    const ok = (text = `${name} completed`) => write(`${tag} OK ${text}\r\n`);
    const no = (text: string) => write(`${tag} NO ${text}\r\n`);
    if (!state.authenticated && !['CAPABILITY', 'LOGIN', 'NOOP', 'LOGOUT'].includes(name))
      return write(`${tag} BAD log in first\r\n`);
    if (['SEARCH', 'FETCH', 'STORE', 'EXPUNGE', 'CLOSE'].includes(name) && !state.selected)
      return write(`${tag} BAD select a mailbox first\r\n`);
    switch (name) {
      case 'CAPABILITY':
        write('* CAPABILITY IMAP4rev1\r\n');
        return ok();
      case 'NOOP':
        return ok();
      case 'LOGOUT':
        write('* BYE logging out\r\n');
        ok();
        return end();
      case 'LOGIN':
        if (rest[0] !== this.user || rest[1] !== this.password) return no('[AUTHENTICATIONFAILED] wrong login');
        state.authenticated = true;
        return ok('[CAPABILITY IMAP4rev1] LOGIN completed');
      case 'LIST':
      case 'LSUB':
        if (/^inbox$/i.test(rest[1] ?? '') || rest[1] === '*') write(`* ${name} (\\HasNoChildren) "/" INBOX\r\n`);
        return ok();
      case 'SELECT':
      case 'EXAMINE': {
        if (!/^inbox$/i.test(rest[0] ?? '')) return no('[NONEXISTENT] no such mailbox');
        state.selected = true;
        write(
          `* FLAGS (\\Seen \\Deleted)\r\n* ${this.messages.length} EXISTS\r\n* 0 RECENT\r\n` +
            `* OK [UIDVALIDITY 1] UIDs valid\r\n* OK [UIDNEXT ${this.nextUid}] next UID\r\n` +
            `* OK [PERMANENTFLAGS (\\Seen \\Deleted)] flags\r\n`,
        );
        return ok(`[${name === 'SELECT' ? 'READ-WRITE' : 'READ-ONLY'}] ${name} completed`);
      }
      case 'SEARCH': {
        const found = this.messages.filter((message) => matches(message, rest)).map((m, i) => (uid ? m.uid : i + 1));
        write(`* SEARCH${found.map((n) => ` ${n}`).join('')}\r\n`);
        return ok();
      }
      case 'FETCH':
        for (const [index, message] of this.selection(rest[0], uid)) {
          const whole = /BODY(\.PEEK)?\[\]|RFC822\b/i.test(line);
          const head = `* ${index + 1} FETCH (UID ${message.uid} FLAGS (${[...message.flags].join(' ')})`;
          write(
            whole
              ? Buffer.concat([
                  Buffer.from(`${head} BODY[] {${message.raw.length}}\r\n`),
                  message.raw,
                  Buffer.from(')\r\n'),
                ])
              : `${head})\r\n`,
          );
          if (whole && !/PEEK/i.test(line)) message.flags.add('\\Seen');
        }
        return ok();
      case 'STORE': {
        const change = (rest[1] ?? '').toUpperCase();
        const flags = rest.slice(2).filter((t) => t !== '(' && t !== ')');
        for (const [index, message] of this.selection(rest[0], uid)) {
          if (change.startsWith('+')) for (const flag of flags) message.flags.add(flag);
          else if (change.startsWith('-')) for (const flag of flags) message.flags.delete(flag);
          else message.flags = new Set(flags);
          if (!change.endsWith('.SILENT'))
            write(`* ${index + 1} FETCH (UID ${message.uid} FLAGS (${[...message.flags].join(' ')}))\r\n`);
        }
        return ok();
      }
      case 'EXPUNGE':
      case 'CLOSE':
        for (let i = this.messages.length - 1; i >= 0; i--) {
          if (!this.messages[i].flags.has('\\Deleted')) continue;
          this.messages.splice(i, 1);
          if (name === 'EXPUNGE') write(`* ${i + 1} EXPUNGE\r\n`);
        }
        if (name === 'CLOSE') state.selected = false;
        return ok();
      default:
        return write(`${tag} BAD ${name} is not spoken here\r\n`);
    }
  }

  /** The messages a sequence set (`1:3,7`, `5:*`) names, by UID or by sequence number, with their index. */
  private selection(set: string | undefined, byUid: boolean): Array<[number, StoredMessage]> {
    const numbers = (message: StoredMessage, index: number) => (byUid ? message.uid : index + 1);
    const last = this.messages.length ? numbers(this.messages[this.messages.length - 1], this.messages.length - 1) : 0;
    const ranges = (set ?? '').split(',').map((part) => {
      const [from, to = from] = part.split(':').map((n) => (n === '*' ? last : Number(n)));
      return [Math.min(from, to), Math.max(from, to)];
    });
    return this.messages
      .map((message, index): [number, StoredMessage] => [index, message])
      .filter(([index, message]) =>
        ranges.some(([from, to]) => numbers(message, index) >= from && numbers(message, index) <= to),
      );
  }
}

/** Atoms, quoted strings (unquoted) and parentheses of a command line. */
function tokens(line: string): string[] {
  return [...line.matchAll(/"((?:\\.|[^"\\])*)"|[()]|[^\s()]+/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[0],
  );
}

/** SEARCH keys: ALL, SEEN, UNSEEN, DELETED, UNDELETED, and NOT before any of them. */
function matches(message: StoredMessage, keys: string[]): boolean {
  let negate = false;
  for (const key of keys.map((k) => k.toUpperCase())) {
    if (key === 'NOT') {
      negate = true;
      continue;
    }
    const flag = { SEEN: '\\Seen', UNSEEN: '\\Seen', DELETED: '\\Deleted', UNDELETED: '\\Deleted' }[key];
    const hit =
      key === 'ALL' || !flag ? true : key.startsWith('UN') ? !message.flags.has(flag) : message.flags.has(flag);
    if (hit === negate) return false;
    negate = false;
  }
  return true;
}
