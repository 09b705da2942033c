import * as os from 'node:os';
import type { SystemInfo } from '../../domain/ports/system-info.port';

/** SystemInfo of the machine this process runs on. */
export class OsSystemInfo implements SystemInfo {
  totalMemoryBytes(): number {
    return os.totalmem();
  }
}
