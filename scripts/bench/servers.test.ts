import { describe, expect, it } from 'vitest';
import { containerEnv, containerNodeFlags, containerRuntimeEnv } from './servers.js';

const DOCKERFILE = `FROM node:20 AS build
ENV NODE_OPTIONS=--build-only
FROM node:20-slim
# A comment
ENV NODE_ENV=production \\
    NODE_OPTIONS="--max-semi-space-size=4 --no-warnings" \\
    MALLOC_ARENA_MAX=2 \\
    PASSKEY_AUTH_DB=/data/passkey-auth.sqlite
ENV EXTRA=1
CMD ["node", "dist/server/main.js"]
`;

describe("the Dockerfile's environment, as the benchmark runs the server", () => {
  it("is the run stage's ENV, continued lines and quotes included, not the build stage's", () => {
    expect(containerEnv(DOCKERFILE)).toEqual({
      NODE_ENV: 'production',
      NODE_OPTIONS: '--max-semi-space-size=4 --no-warnings',
      MALLOC_ARENA_MAX: '2',
      PASSKEY_AUTH_DB: '/data/passkey-auth.sqlite',
      EXTRA: '1',
    });
  });

  it('passes NODE_OPTIONS as flags and the rest as environment, without the service settings the benchmark gives as flags', () => {
    const env = containerEnv(DOCKERFILE);
    expect(containerNodeFlags(env)).toEqual(['--max-semi-space-size=4', '--no-warnings']);
    expect(containerRuntimeEnv(env)).toEqual({ NODE_ENV: 'production', MALLOC_ARENA_MAX: '2', EXTRA: '1' });
  });

  it("holds the project's Dockerfile's malloc and V8 settings", () => {
    expect(containerRuntimeEnv()).toMatchObject({ MALLOC_ARENA_MAX: '2' });
    expect(containerNodeFlags()).toContain('--max-semi-space-size=4');
  });
});
