import { describe, expect, it } from 'vitest';
import { CLOSE } from '../../../shared/ws';
import { closeError } from './ceremonyErrors';

describe('closeError', () => {
  it('tells a person that the service is restarting when the server shuts down mid-ceremony', () => {
    const error = closeError(CLOSE.shuttingDown, true);
    expect(error.message).toBe('The sign-in service is restarting. Try again in a moment.');
    expect(error.reason).toBe('shutting_down');
  });

  it('calls any other early close a lost connection, and a socket that never opened unreachable', () => {
    expect(closeError(1006, true).reason).toBe('closed');
    expect(closeError(CLOSE.shuttingDown, false).reason).toBe('unreachable');
  });
});
