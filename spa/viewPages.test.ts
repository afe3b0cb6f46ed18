import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VIEWS } from '../shared/views.js';
import { viewPage } from './viewPages.js';

const template = readFileSync(new URL('./page.html', import.meta.url), 'utf8');

describe('viewPage', () => {
  it.each(VIEWS)('makes the %s page name its view, its entry script and a title', (view) => {
    const html = viewPage(template, view);
    expect(html).toContain(`<meta name="passkey-auth-view" content="${view}" />`);
    expect(html).toContain(`src="./src/entries/${view}.ts"`);
    // The page's own words only: the server ends every title with the service's name (server/ui/ui.ts).
    expect(html).toMatch(/<title>[A-Z][^<%·]+<\/title>/);
    expect(html).not.toContain('%VIEW%');
  });
});
