/**
 * A list as CSV files in a temporary folder, written a row at a time (csv-stringify quotes each
 * row; nothing holds the list), starting a new file before one would pass `maxBytes` (Discord's
 * attachment limit for the interaction), each with the header row. Cells that a spreadsheet
 * would run as a formula (starting with =, +, -, @, a tab or a carriage return) are written with
 * a leading apostrophe. The caller removes the folder.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { UserRow } from './user-row.js';

export const CSV_COLUMNS = [
  'id',
  'username',
  'name',
  'followers',
  'following',
  'posts',
  'verified',
  'protected',
  'created_at',
  'location',
  'url',
] as const;

/** Temporary folders are named so: a test (and an operator) can tell Flock's apart. */
export const TEMP_PREFIX = 'flock-export-';

/** Excel reads a file as UTF-8 (Japanese names, emoji) only with the byte order mark. */
const BOM = '\uFEFF';

export interface CsvFile {
  path: string;
  name: string;
  rows: number;
  bytes: number;
}

/** A cell as text, neutralised where a spreadsheet would read it as a formula. */
export function safeCell(value: string | number): string {
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvLine(cells: readonly (string | number)[]): string {
  // A cell with any line break is quoted: csv-stringify quotes only the record delimiter (\r\n) itself.
  return stringify([cells.map(safeCell)], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

const HEADER = csvLine(CSV_COLUMNS);

function cellsOf(row: UserRow): (string | number)[] {
  const [id, username, name, followers, following, posts, verified, isProtected, createdAt, location, url] =
    row;
  return [
    id,
    username,
    name,
    followers,
    following,
    posts,
    verified ? 'true' : 'false',
    isProtected ? 'true' : 'false',
    createdAt,
    location,
    url,
  ];
}

/** A new temporary folder for one export's files. */
export const exportFolder = (): Promise<string> => mkdtemp(join(tmpdir(), TEMP_PREFIX));

/** An export is sent within its interaction's 15 minutes: a folder this old was left by a crash. */
const STALE_EXPORT_MS = 60 * 60_000;

/**
 * Removes export folders a crashed process left behind (a finished export removes its own). Only
 * old ones: another Flock process on the machine may be writing a new one. Resolves to how many went.
 */
export async function sweepExportFolders(now = Date.now(), dir = tmpdir()): Promise<number> {
  let removed = 0;
  for (const entry of await readdir(dir).catch(() => [])) {
    if (!entry.startsWith(TEMP_PREFIX)) continue;
    const path = join(dir, entry);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory() || now - info.mtimeMs < STALE_EXPORT_MS) continue;
    await rm(path, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

export async function writeCsvFiles(
  chunks: AsyncIterable<UserRow[]>,
  options: { dir: string; baseName: string; maxBytes: number },
): Promise<CsvFile[]> {
  const files: CsvFile[] = [];
  const start = Buffer.byteLength(BOM + HEADER);
  if (options.maxBytes < start * 4)
    throw new RangeError(`${options.maxBytes} bytes is too small for a CSV file`);
  let out: WriteStream | undefined;
  let current: CsvFile | undefined;
  const open = async () => {
    await close();
    const name = files.length ? `${options.baseName}-${files.length + 1}.csv` : `${options.baseName}.csv`;
    current = { path: join(options.dir, name), name, rows: 0, bytes: start };
    files.push(current);
    out = createWriteStream(current.path);
    await write(BOM + HEADER);
  };
  const write = async (text: string) => {
    if (out && !out.write(text)) await once(out, 'drain');
  };
  const close = async () => {
    if (!out) return;
    const stream = out;
    out = undefined;
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  };
  try {
    await open();
    for await (const chunk of chunks) {
      for (const row of chunk) {
        const line = csvLine(cellsOf(row));
        const bytes = Buffer.byteLength(line);
        if (current && current.rows > 0 && current.bytes + bytes > options.maxBytes) await open();
        if (!current) throw new Error('no CSV file open');
        await write(line);
        current.rows += 1;
        current.bytes += bytes;
      }
    }
  } finally {
    await close();
  }
  return files;
}
