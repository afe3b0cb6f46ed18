/** Test files under server/ (as Vitest finds them), relative to `root`, that touch the database; sorted. */
export function databaseSuites(root: string): string[];
