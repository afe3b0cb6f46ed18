/**
 * The order to fill tables in so that every foreign key points at a row already there:
 * referenced tables first.
 */

/**
 * Orders `tables` (each table's name → the tables its foreign keys reference) parents first;
 * among tables free to go next, by name, so that the order is the same on every run. A table's
 * reference to itself is left out: its rows go in rowid order.
 * @throws {Error} when the references form a cycle, or name a table that is not in `tables`
 * @example copyOrder(new Map([['users', ['orgs']], ['orgs', []]])) // ['orgs', 'users']
 */
export function copyOrder(tables: ReadonlyMap<string, readonly string[]>): string[] {
  const waitingFor = new Map<string, Set<string>>();
  for (const [table, references] of tables) {
    for (const parent of references) {
      if (!tables.has(parent)) throw new Error(`table ${table} references ${parent}, which does not exist`);
    }
    waitingFor.set(table, new Set(references.filter((parent) => parent !== table)));
  }
  const order: string[] = [];
  while (waitingFor.size > 0) {
    const ready = [...waitingFor].filter(([, parents]) => parents.size === 0).map(([table]) => table).sort();
    if (ready.length === 0) throw new Error(`the foreign keys of ${[...waitingFor.keys()].sort().join(', ')} form a cycle`);
    for (const table of ready) {
      order.push(table);
      waitingFor.delete(table);
      for (const parents of waitingFor.values()) parents.delete(table);
    }
  }
  return order;
}
