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

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Whether `host` is a lower-case DNS host name (`app.example.com`; an international one in its
 * `xn--` form): labels of letters, digits and inner hyphens. Safe to put in a URL as it is.
 */
export function isHostName(host: string): boolean {
  return HOST_NAME.test(host);
}
