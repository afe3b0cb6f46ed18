/** HTTP API shapes shared by the server and the SPA. */

/** Every error response body. */
export interface ErrorBody {
  detail: string;
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  version: string;
  database: 'ok' | 'error';
}
