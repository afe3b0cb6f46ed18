/**
 * Host names as cookies see them: case-insensitive and without port.
 * `Example.COM:8443` → `example.com`, `[::1]:4401` → `[::1]`.
 */
export function hostWithoutPort(hostHeader: string): string {
  const host = hostHeader.toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}
