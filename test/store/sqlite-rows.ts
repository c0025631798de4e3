/** What the SQLite file itself holds, read with its own connection (not through Flock's store). */
import sqlite3 from 'sqlite3';

export function queryFile<T>(file: string, sql: string, ...params: unknown[]): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (error) => {
      if (error) return reject(error);
      db.all(sql, params, (queryError, rows) => {
        db.close(() => (queryError ? reject(queryError) : resolve(rows as T[])));
      });
    });
  });
}

/** Every key in Keyv's table, `namespace:key`, sorted. */
export async function keysInFile(file: string): Promise<string[]> {
  const rows = await queryFile<{ key: string }>(file, 'SELECT key FROM keyv ORDER BY key');
  return rows.map((row) => row.key);
}
