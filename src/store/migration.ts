/**
 * One numbered step of a schema. A migration, once released, never changes: a schema change is a
 * new entry at the end. Both SQL adapters keep the same list of versions, so that a version means
 * the same tables and columns in either dialect.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
