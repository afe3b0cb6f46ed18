/**
 * The attack of issue 11 finding 4 against the real server: bodies far over the limit, declared
 * up front or streamed without a length, are refused with 413 before they are read into memory.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/testServer.js';
import { MAX_BODY_BYTES } from './requestBodyLimit.js';

const host = 'localhost:4401';
const MB = 1024 * 1024;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer(['--origin', `http://${host}`]);
});
afterAll(() => server.close());

/** Opens a connection, sends a POST's head, and resolves with the first response bytes the server sends. */
function postHead(socket: Socket, headers: string): Promise<string> {
  socket.write(`POST /auth/api/user-info HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n${headers}\r\n`);
  return new Promise((resolve, reject) => {
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n') && received.includes('}')) resolve(received);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
const detailOf = (response: string) => (JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4).replace(/^[0-9a-f]+\r\n/, '')) as { detail: string }).detail;
const memory = () => process.memoryUsage().rss;

describe('request body limit', () => {
  it('refuses a body whose Content-Length is over the limit at once, without waiting for it', async () => {
    const socket = connect(server.port, '127.0.0.1');
    try {
      const started = Date.now();
      // 400 MB announced, not one byte of it sent: an answer can only come from the header.
      const response = await postHead(socket, `Content-Length: ${400 * MB}\r\n`);
      expect(statusOf(response)).toBe(413);
      expect(detailOf(response)).toBe(`Request body too large (limit ${MAX_BODY_BYTES} bytes)`);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      socket.destroy();
    }
  });

  it('stops reading a chunked body once it passes the limit, and the process does not grow by it', async () => {
    const socket = connect(server.port, '127.0.0.1');
    const total = 64 * MB;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    try {
      const before = memory();
      let answered = false;
      const response = postHead(socket, 'Transfer-Encoding: chunked\r\n').then((text) => {
        answered = true;
        return text;
      });
      let sent = 0;
      // Stream until the server answers (or the whole 64 MB went out: then the body ends, as an honest client's would).
      while (!answered && sent < total && !socket.destroyed) {
        await new Promise<void>((resolve) => socket.write(frame, () => resolve()));
        sent += chunk.length;
      }
      if (!answered && !socket.destroyed) socket.write('0\r\n\r\n');
      const text = await response;
      expect(statusOf(text)).toBe(413);
      // Answered long before the body was through: the server read about the limit, not the body.
      expect(sent).toBeLessThan(total / 4);
      expect(memory() - before).toBeLessThan(total / 2);
    } finally {
      socket.destroy();
    }
  });
});
