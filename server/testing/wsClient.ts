/** A WebSocket client for ceremony tests (Node 20 has no WebSocket of its own). */
import WebSocket from 'ws';
import type { ServerMessage, StartMessage } from '../../shared/ws.js';

export interface CeremonySocket {
  ws: WebSocket;
  /** The next message from the server (rejects if the socket closes first). */
  next(): Promise<ServerMessage>;
  /** Resolves with the close code once closed. */
  closed: Promise<number>;
}

export interface SocketHeaders {
  origin?: string;
  host?: string;
  cookie?: string;
  /** `X-Forwarded-For`, for a server that trusts the test process as its proxy. */
  forwardedFor?: string;
}

/** Opens a ceremony socket; rejects with `HTTP <status>` when the upgrade is refused. */
export function openCeremony(port: number, path: string, headers: SocketHeaders): Promise<CeremonySocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, {
    headers: { ...(headers.host ? { host: headers.host } : {}), ...(headers.cookie ? { cookie: headers.cookie } : {}), ...(headers.forwardedFor ? { 'x-forwarded-for': headers.forwardedFor } : {}) },
    ...(headers.origin ? { origin: headers.origin } : {}),
  });
  const queue: ServerMessage[] = [];
  const waiters: Array<{ resolve: (m: ServerMessage) => void; reject: (e: Error) => void }> = [];
  let closeCode: number | null = null;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(message);
    else queue.push(message);
  });
  const closed = new Promise<number>((resolve) =>
    ws.on('close', (code) => {
      closeCode = code;
      for (const waiter of waiters.splice(0)) waiter.reject(new Error(`socket closed with ${code}`));
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        ws,
        closed,
        next: () => {
          const queued = queue.shift();
          if (queued) return Promise.resolve(queued);
          if (closeCode !== null) return Promise.reject(new Error(`socket closed with ${closeCode}`));
          return new Promise((res, rej) => waiters.push({ resolve: res, reject: rej }));
        },
      }),
    );
  });
}

/** Opens a ceremony socket and sends its `start` frame (on a register socket, with the link token if any). */
export async function startCeremony(port: number, path: string, headers: SocketHeaders, start: StartMessage = { type: 'start' }): Promise<CeremonySocket> {
  const socket = await openCeremony(port, path, headers);
  socket.ws.send(JSON.stringify(start));
  return socket;
}
