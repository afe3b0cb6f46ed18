import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from './apiError.js';
import { validate } from './validate.js';

const app = new Hono()
  .post('/things/:id', validate('param', z.object({ id: z.uuid('Thing id must be a UUID') })), validate('json', z.object({ name: z.string().min(1) }).strict()), (c) =>
    c.json({ id: c.req.valid('param').id, name: c.req.valid('json').name }),
  )
  .get('/things', validate('query', z.object({ page: z.coerce.number().int().min(1) })), (c) => c.json(c.req.valid('query')))
  .onError((error, c) => (error instanceof ApiError ? c.json({ detail: error.detail }, error.status) : c.json({ detail: 'unexpected' }, 500)));

const ID = '0190b1c4-0000-7000-8000-000000000000';
const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const refusal = async (response: Response) => ({ status: response.status, ...((await response.json()) as { detail: string }) });

describe('validate', () => {
  it('passes typed values to the handler', async () => {
    expect(await (await post(`/things/${ID}`, { name: 'a' })).json()).toEqual({ id: ID, name: 'a' });
    expect(await (await app.request('/things?page=2')).json()).toEqual({ page: 2 });
  });

  it('words every refusal as a 400 naming the first problem', async () => {
    expect(await refusal(await post('/things/nope', { name: 'a' }))).toEqual({ status: 400, detail: 'Thing id must be a UUID' });
    expect(await refusal(await post(`/things/${ID}`, { name: '' }))).toMatchObject({ status: 400, detail: expect.stringMatching(/^Invalid request body: name: /) });
    expect(await refusal(await post(`/things/${ID}`, { name: 'a', extra: 1 }))).toMatchObject({ status: 400, detail: expect.stringMatching(/^Invalid request body: .*extra/) });
    expect(await refusal(await post(`/things/${ID}`, ['a']))).toEqual({ status: 400, detail: 'Invalid request body: Invalid input: expected object, received array' });
    expect(await refusal(await app.request('/things?page=0'))).toMatchObject({ status: 400, detail: expect.stringMatching(/^Invalid query: page: /) });
  });
});
