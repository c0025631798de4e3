/**
 * What the SQLite file itself holds, read with its own connection (not through Flock's store),
 * through the library the store uses: two libraries on one file in one process drop each other's
 * locks (sqlite-connection.ts).
 */
import { connectSqlite } from '../../src/store/sqlite-connection.js';

export async function queryFile<T>(file: string, sql: string, ...params: unknown[]): Promise<T[]> {
  const db = await connectSqlite(file, { busyTimeoutMs: 1_000 });
  try {
    return (await db.query(sql, ...params)) as T[];
  } finally {
    await db.close();
  }
}

/** Every key in Keyv's table, `namespace:key`, sorted. */
export async function keysInFile(file: string): Promise<string[]> {
  const rows = await queryFile<{ key: string }>(file, 'SELECT key FROM keyv ORDER BY key');
  return rows.map((row) => row.key);
}
