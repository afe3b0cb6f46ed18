/**
 * How people searches compare text: without case and accents, so "angstrom" and "ÅNGSTRÖM"
 * both find "Ångström". SQLite's own `lower()` and `LIKE` fold ASCII letters only, so the
 * database registers this function under {@link SEARCH_FOLD_SQL} and a search folds both sides.
 */

/** The SQL name of {@link foldForSearch} on every connection (database.ts registers it). */
export const SEARCH_FOLD_SQL = 'search_fold';

/** Lower case, with combining marks (accents, diaeresis, ring) removed after canonical decomposition. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase();
}
