/**
 * Which browser on which system a User-Agent header names, for the words people see: a session's
 * "Chrome on macOS", a new passkey's name. A short table instead of a parser library: the product
 * is MIT-licensed and ua-parser-js 2 is AGPL, and these few names are all either side needs.
 */

/** First match wins: browsers built on Chrome name Chrome too, so they come before it. */
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|OPiOS)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bVivaldi\//, 'Vivaldi'],
  [/\bYaBrowser\//, 'Yandex Browser'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\bChromium\//, 'Chromium'],
  [/\b(?:Chrome|HeadlessChrome|CriOS)\//, 'Chrome'],
  [/\bVersion\/[\d.]+ (?:Mobile\/\w+ )?Safari\//, 'Safari'],
];

/** iPhones and iPads say "like Mac OS X", Android says "Linux": the specific names come first. */
const SYSTEMS: [RegExp, string][] = [
  [/\bWindows\b/, 'Windows'],
  [/\b(?:iPhone|iPod)\b/, 'iOS'],
  [/\biPad\b/, 'iPadOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\b(?:Macintosh|Mac OS X)\b/, 'macOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bLinux\b/, 'Linux'],
];

const firstMatch = (table: [RegExp, string][], userAgent: string): string | null =>
  table.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;

/** "Chrome on macOS", "Firefox" (system unknown), or null when the browser cannot be told. */
export function describeUserAgent(userAgent: string): string | null {
  const browser = firstMatch(BROWSERS, userAgent);
  if (browser === null) return null;
  const system = firstMatch(SYSTEMS, userAgent);
  return system === null ? browser : `${browser} on ${system}`;
}
