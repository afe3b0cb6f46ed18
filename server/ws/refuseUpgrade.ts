/**
 * Refuses a WebSocket upgrade with a real HTTP answer, written straight to the socket (an
 * upgrade request has no ServerResponse): the status, a JSON `{ detail }` body as every API
 * answer has, and `Connection: close`. Browsers show the page only "the connection failed";
 * a proxy's log, curl and the developer tools show the status and the reason.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * @param socket the upgrade request's socket; it is destroyed once the answer is written
 * @param status an HTTP status, 4xx or 5xx
 * @param detail the reason, for a person reading it
 * @param headers further headers as flat [name, value, …] pairs (`X-Request-Id`, `Retry-After`…)
 * @example refuseUpgrade(socket, 403, 'Origin not allowed to run passkey ceremonies', ['X-Request-Id', requestId])
 */
export function refuseUpgrade(socket: Duplex, status: number, detail: string, headers: readonly string[] = []): void {
  const body = JSON.stringify({ detail });
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  // Closed once written, without waiting for the client to close its side.
  socket.once('finish', () => socket.destroy());
  socket.end(`${head}\r\n${body}`);
}
