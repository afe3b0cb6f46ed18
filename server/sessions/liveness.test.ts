import { describe, expect, it } from 'vitest';
import { hasLapsed, isLiveOn } from './liveness.js';

describe('isLiveOn', () => {
  const session = { expiresAt: 1000, host: 'app.example.com' };

  it('counts a session on its own host until the moment it expires', () => {
    expect(isLiveOn(session, 'app.example.com', 999)).toBe(true);
    expect(isLiveOn(session, 'app.example.com', 1000)).toBe(false);
    expect(hasLapsed(1000, 1000)).toBe(true);
    expect(hasLapsed(1000, 999)).toBe(false);
  });

  it('never counts a session on another host', () => {
    expect(isLiveOn(session, 'other.example.com', 0)).toBe(false);
    expect(isLiveOn(session, 'APP.example.com', 0)).toBe(false);
  });
});
