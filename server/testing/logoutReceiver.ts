/**
 * An app's back-channel logout endpoint for tests: a plain node:http server on 127.0.0.1 that
 * records every logout token posted to it, answers 200 (or what the test sets), and verifies what
 * it got against the provider's JWKS as an app must (Back-Channel Logout 1.0 §2.6).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { TestServer } from './testServer.js';
import { rawRequest } from './rawHttp.js';
import { AUTH_HOST, ISSUER } from './oidcFlows.js';
import { BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_LIFETIME_S, LOGOUT_TOKEN_TYP } from '../logout/logoutToken.js';

export interface ReceivedLogout {
  path: string;
  contentType: string | undefined;
  logoutToken: string;
}

export interface LogoutReceiver {
  /** `http://127.0.0.1:<port>/backchannel`: register it as the app's back-channel logout URI. */
  url: string;
  port: number;
  received: ReceivedLogout[];
  /** How it answers: a status, 302 sending the poster to `/elsewhere`. */
  status: number;
  close(): Promise<void>;
}

/** Starts a receiver (on `port`, to come back where a stopped one was). */
export async function startLogoutReceiver(port = 0): Promise<LogoutReceiver> {
  const received: ReceivedLogout[] = [];
  const receiver = { received, status: 200 } as LogoutReceiver;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      if (request.method === 'POST') received.push({ path: request.url ?? '', contentType: request.headers['content-type'], logoutToken: new URLSearchParams(body).get('logout_token') ?? '' });
      response.writeHead(receiver.status, receiver.status === 302 ? { Location: '/elsewhere' } : {});
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  receiver.port = bound;
  receiver.url = `http://127.0.0.1:${bound}/backchannel`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

/** Waits (up to `timeoutMs`) for the receiver to hold a logout token for `clientId`, and returns it. */
export async function logoutTokenFor(receiver: LogoutReceiver, clientId: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = receiver.received.find((one) => audienceOf(one.logoutToken) === clientId);
    if (found) {
      expect(found.path).toBe('/backchannel');
      expect(found.contentType).toBe('application/x-www-form-urlencoded');
      return found.logoutToken;
    }
    if (Date.now() > deadline) throw new Error(`no logout token for ${clientId} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function audienceOf(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).aud;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a logout token as an app does: signature against the provider's JWKS, `typ`, `iss`,
 * `aud`, `iat`/`exp` (short-lived), `jti`, the back-channel event, and no `nonce`; returns its claims.
 */
export async function verifyLogoutToken(server: TestServer, token: string, clientId: string): Promise<JWTPayload> {
  const jwks = JSON.parse((await rawRequest(server.port, { host: AUTH_HOST, path: '/auth/oidc/jwks' })).body) as JSONWebKeySet;
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: ISSUER,
    audience: clientId,
    typ: LOGOUT_TOKEN_TYP,
    requiredClaims: ['iat', 'exp', 'jti', 'events', 'sub', 'sid'],
    currentDate: new Date(server.deps.now()),
  });
  expect(payload.events).toEqual({ [BACKCHANNEL_LOGOUT_EVENT]: {} });
  expect(payload).not.toHaveProperty('nonce');
  expect(payload.exp! - payload.iat!).toBe(LOGOUT_TOKEN_LIFETIME_S);
  return payload;
}
