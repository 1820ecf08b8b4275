/**
 * The built renderer's files answered from memory. They are a few hundred KB, built once, and all
 * asked for on every page load: a fresh page waited on a disk stream per file (up to 150 ms for the
 * app's chunk on a busy machine, twice a bare server's time). A file is read again only when its
 * size or mtime changed (a rebuild under a running host), so what is served is always what is on disk.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface Cached {
  mtimeMs: number;
  size: number;
  body: Buffer;
}

export interface StaticFiles {
  /** The file's bytes, or null when there is no such file (or it is a folder). */
  read(path: string): Buffer | null;
}

export function staticFiles(root: string): StaticFiles {
  const cache = new Map<string, Cached>();

  const read = (path: string): Buffer | null => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat?.isFile()) return null;
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.body;
    const body = readFileSync(path);
    cache.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, body });
    return body;
  };

  // Read up front, so the first page load is answered from memory too.
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) read(join(entry.parentPath, entry.name));
  }
  return { read };
}
