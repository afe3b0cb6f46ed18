/** Why the build in `root` is missing or out of date, or null when dist/ is newer than every source. */
export function buildNeeded(root: string): string | null;
