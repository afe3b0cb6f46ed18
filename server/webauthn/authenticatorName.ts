/** Human names for authenticators, from their AAGUID (the community-maintained `aaguids` list). */
import { createRequire } from 'node:module';

// The package is CommonJS exporting a plain JSON object; require keeps its type honest.
const names = createRequire(import.meta.url)('aaguids') as Record<string, string>;
const UNKNOWN_AAGUID = '00000000-0000-0000-0000-000000000000';

export function authenticatorName(aaguid: string): string {
  if (aaguid === UNKNOWN_AAGUID) return 'Passkey';
  return names[aaguid.toLowerCase()] ?? 'Passkey';
}
