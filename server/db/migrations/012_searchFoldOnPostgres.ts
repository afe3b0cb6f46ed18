import { sql, type Kysely, type Migration } from 'kysely';
import { SEARCH_FOLD_SQL, foldForSearch } from '../searchFold.js';
import { isPostgres } from '../postgres.js';

/** Letters with marks, in the scripts people's names are written in most here: Latin, Greek, Cyrillic. */
const FOLDED_RANGES: readonly [number, number][] = [[0x00c0, 0x024f], [0x0370, 0x04ff], [0x1e00, 0x1eff]];
/** Combining marks on their own (text typed already decomposed): folding drops them. */
const COMBINING_MARKS: readonly [number, number] = [0x0300, 0x036f];

/**
 * `translate()`'s two alphabets: each letter of {@link FOLDED_RANGES} that {@link foldForSearch}
 * turns into one other letter, then the combining marks, which have no counterpart and so are
 * deleted. Derived from foldForSearch itself, so both databases fold these letters alike.
 */
export function foldAlphabets(): { from: string; to: string } {
  let from = '';
  let to = '';
  for (const [first, last] of FOLDED_RANGES) {
    for (let code = first; code <= last; code++) {
      const letter = String.fromCodePoint(code);
      const folded = foldForSearch(letter);
      if (folded !== letter && [...folded].length === 1) {
        from += letter;
        to += folded;
      }
    }
  }
  for (let code = COMBINING_MARKS[0]; code <= COMBINING_MARKS[1]; code++) from += String.fromCodePoint(code);
  return { from, to };
}

/**
 * People searches call `search_fold()` on both sides of a LIKE. SQLite gets it registered on
 * its connection (database.ts); PostgreSQL gets it here, as SQL: `translate()` folds the letters
 * listed above (whatever the database's locale), `lower()` the rest.
 */
export const searchFoldOnPostgres: Migration = {
  async up(db: Kysely<unknown>) {
    if (!isPostgres(db)) return;
    const { from, to } = foldAlphabets();
    await sql
      .raw(`create or replace function ${SEARCH_FOLD_SQL}(text) returns text language sql immutable strict parallel safe as $$ select lower(translate($1, '${from}', '${to}')) $$`)
      .execute(db);
  },
  async down(db: Kysely<unknown>) {
    if (isPostgres(db)) await sql.raw(`drop function if exists ${SEARCH_FOLD_SQL}(text)`).execute(db);
  },
};
