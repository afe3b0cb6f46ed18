/**
 * Node 20 has no global ErrorEvent, but @hono/node-ws constructs one when a socket
 * errors (an oversized frame, a protocol violation). Without this shim that throws
 * inside an event listener and takes the whole process down.
 */
if (!('ErrorEvent' in globalThis)) {
  class ErrorEventShim extends Event {
    readonly error: unknown;
    readonly message: string;
    constructor(type: string, init: { error?: unknown; message?: string } = {}) {
      super(type);
      this.error = init.error;
      this.message = init.message ?? (init.error instanceof Error ? init.error.message : '');
    }
  }
  (globalThis as { ErrorEvent?: unknown }).ErrorEvent = ErrorEventShim;
}
