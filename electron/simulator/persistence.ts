/**
 * The `stateFile` option: load at start, save shortly after every change and on close, so a demo
 * charge in flight survives the app (or the simulator) restarting. Writes go to a temporary file
 * and are renamed over the old one, so a crash mid-write never leaves half a state file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const SAVE_DELAY_MS = 50;

export class StateFile {
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;

  constructor(
    readonly path: string,
    private readonly serialize: () => string,
    private readonly log: (line: string) => void,
  ) {}

  read(): string | null {
    return existsSync(this.path) ? readFileSync(this.path, 'utf8') : null;
  }

  changed(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), SAVE_DELAY_MS);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.dirty) return;
    this.dirty = false;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.tmp`;
      writeFileSync(tmp, this.serialize());
      renameSync(tmp, this.path);
    } catch (error) {
      this.log(`simulator: could not save state to ${this.path}: ${(error as Error).message}`);
    }
  }
}
