/**
 * The parameters of a browser's request to an interactive endpoint (authorize, end-session): the
 * query of a GET or the form of a POST, first value of each (OpenID Connect Core §3.1.2.1 allows both).
 */
import type { Context } from 'hono';

const FORM = 'application/x-www-form-urlencoded';

/** The first value of each parameter of a query string or form. */
export function firstValues(params: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of params) if (!(name in values)) values[name] = value;
  return values;
}

/** The request's form body (empty for another content type). */
export async function formOf(c: Context): Promise<URLSearchParams> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith(FORM)) return new URLSearchParams();
  return new URLSearchParams(await c.req.text());
}

/** The parameters of a GET's query or a POST's form. */
export async function requestParams(c: Context): Promise<Record<string, string>> {
  return firstValues(c.req.method === 'POST' ? await formOf(c) : new URL(c.req.url).searchParams);
}
