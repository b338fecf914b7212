// The server side of RFC 6455, as small as the simulator needs: the opening handshake, unmasked text frames
// out, masked frames in (text ignored, ping answered with pong, close answered with close), pings out. No
// extensions, no fragmentation on send. The simulator stays free of npm dependencies for its socket.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

/** Frames a payload (server frames are never masked). */
export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0x80 | opcode, length]);
  } else if (length < 65_536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Answers the upgrade request; false (and a plain HTTP answer) when it is not a WebSocket handshake. */
export function acceptUpgrade(req: IncomingMessage, socket: Duplex): boolean {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || String(req.headers.upgrade).toLowerCase() !== 'websocket') {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return false;
  }
  const accept = createHash('sha1')
    .update(key + HANDSHAKE_GUID)
    .digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  return true;
}

/** One accepted socket: writes text and pings, reads the client's control frames. */
export class SimWebSocket {
  private buffered = Buffer.alloc(0);
  private closing = false;
  /** Set once the socket is gone, whoever closed it. */
  closed = false;
  /**
   * Still open, but nothing gets through any more, either way (a NAT or proxy that dropped the connection without
   * telling either side): no frames, no pongs, no close frame.
   */
  stalled = false;

  constructor(
    private readonly socket: Duplex,
    private readonly onGone: () => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.gone());
    socket.on('error', () => this.gone());
  }

  sendText(text: string): void {
    this.write(encodeFrame(OPCODE_TEXT, Buffer.from(text, 'utf8')));
  }

  /** A binary frame: Plex sends none, a client must survive one. */
  sendBinary(bytes: Buffer): void {
    this.write(encodeFrame(OPCODE_BINARY, bytes));
  }

  ping(): void {
    this.write(encodeFrame(OPCODE_PING, Buffer.alloc(0)));
  }

  /** A clean close (status 1000 or the given one), then the TCP socket ends. */
  close(code = 1000): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code, 0);
    this.write(encodeFrame(OPCODE_CLOSE, payload));
    this.socket.end();
  }

  /** Ends the connection after what was written, without a close frame: the client sees an abnormal close. */
  cut(): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    this.socket.end();
  }

  /** Cuts the connection at once without a close frame, as a crashed server or a dropped network does. */
  destroy(): void {
    this.socket.destroy();
    this.gone();
  }

  /** From now on the socket carries nothing, and stays open (see `stalled`). */
  stall(): void {
    this.stalled = true;
  }

  private write(frame: Buffer): void {
    if (this.closed || this.stalled || this.socket.destroyed) return;
    this.socket.write(frame);
  }

  private gone(): void {
    if (this.closed) return;
    this.closed = true;
    this.onGone();
  }

  private receive(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const frame = readFrame(this.buffered);
      if (frame === null) return;
      this.buffered = this.buffered.subarray(frame.size);
      if (frame.opcode === OPCODE_PING) this.write(encodeFrame(OPCODE_PONG, frame.payload));
      else if (frame.opcode === OPCODE_CLOSE) this.close();
      // Text, binary and pongs from the client carry nothing the server acts on (as Plex ignores them).
    }
  }
}

interface ClientFrame {
  opcode: number;
  payload: Buffer;
  /** Bytes the frame took. */
  size: number;
}

/** One complete (masked) client frame at the start of `data`, or null while it is incomplete. */
function readFrame(data: Buffer): ClientFrame | null {
  if (data.length < 2) return null;
  const first = data[0] ?? 0;
  const second = data[1] ?? 0;
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return null;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return null;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (second & 0x80) !== 0;
  const maskAt = offset;
  if (masked) offset += 4;
  if (data.length < offset + length) return null;
  const payload = Buffer.from(data.subarray(offset, offset + length));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (data[maskAt + (i % 4)] ?? 0);
  return { opcode: first & 0x0f, payload, size: offset + length };
}
