/** Small page helpers the flows share: list items by `data-current`, confirmations, API calls from a page, titles. */
import { expect, type Locator, type Page } from '@playwright/test';

/** Items of a list (`passkey-item`, `session-item`) that are, or are not, this browser's own. */
export function items(page: Page, testid: string, current?: boolean): Locator {
  const base = `[data-testid="${testid}"]`;
  return page.locator(current === undefined ? base : `${base}[data-current="${current}"]`);
}

/**
 * Clicks the destructive button `testid` inside `item`, then confirms when the page asks inline
 * (a `<testid>-confirm` button). Buttons that act at once remove `item`, which ends the wait.
 */
export async function clickAndConfirm(item: Locator, testid: string): Promise<void> {
  await item.getByTestId(testid).click();
  const confirm = item.getByTestId(`${testid}-confirm`);
  const asked = await Promise.race([
    confirm.waitFor({ state: 'visible' }).then(() => true),
    item.waitFor({ state: 'detached' }).then(() => false),
  ]).catch(() => false);
  if (asked) await confirm.click();
}

/** The HTTP status of `POST /auth/api/<path>` sent by the page itself, with its cookies. */
export function apiStatus(page: Page, path: string): Promise<number> {
  return page.evaluate(async (url) => (await fetch(url, { method: 'POST' })).status, `/auth/api/${path}`);
}

/** Whether the page can open a WebSocket to `url` (closed again at once when it can). */
export function webSocketOpens(page: Page, url: string): Promise<boolean> {
  return page.evaluate(
    (target) =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(target);
        socket.onopen = () => {
          resolve(true);
          socket.close();
        };
        socket.onclose = () => resolve(false);
      }),
    url,
  );
}

/** `method` on `/auth/api/<path>` sent by the page itself (its cookies, its Origin), with a JSON body: status and parsed answer. */
export function apiJson(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return page.evaluate(
    async ({ url, method, body }) => {
      const response = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { url: `/auth/api/${path}`, method, body },
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Waits for the tab title to start with the page's own `words` (isolated as script sets them, or
 * not as the HTML has them), then `section` when given, before the service's name.
 */
export async function expectTitle(page: Page, words: string, section?: string): Promise<void> {
  const within = section ? ` · ${escapeRegExp(section)}` : '';
  await expect(page).toHaveTitle(new RegExp(`^\u2068?${escapeRegExp(words)}\u2069?${within} · `));
}

/**
 * A call to the admin API (`/auth/api/admin<path>`) sent by the page itself, for setting up what
 * a test needs; fails unless it succeeds. Answers the JSON body, or null for 204.
 */
export async function adminApi<T = unknown>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await apiJson(page, method, `admin${path}`, body);
  if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

/** How far the page scrolls sideways, in CSS pixels (0 when it fits the viewport's width). */
export function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}
