/** Human names for authenticators, from their AAGUID (the community-maintained `aaguids` list). */
import { createRequire } from 'node:module';

// The package is CommonJS exporting a plain JSON object; require keeps its type honest.
const names = createRequire(import.meta.url)('aaguids') as Record<string, string>;

/**
 * The authenticator's product name ("Google Password Manager"), or null when its AAGUID is not
 * listed: among them the all-zero AAGUID of authenticators that do not say what they are.
 */
export function authenticatorName(aaguid: string): string | null {
  return names[aaguid.toLowerCase()] ?? null;
}
