import * as fs from 'fs';
import * as os from 'os';
import { ResultLogError } from './resultLogReader';

/** Who holds a log: written into its lock file. */
interface LockHolder {
  readonly host: string;
  readonly pid: number;
}

/** Whether process `pid` of this host is alive. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<log>.lock` so that two scans on one machine never append to one log (the same command
 * started twice): a lock of a live process of this host is refused with a message naming it; one
 * left by a dead process (a kill) is taken over, and so is another host's, whose processes cannot
 * be checked from here: a scheduler that reruns a task on another node has seen it end (Slurm;
 * Kubernetes with podReplacementPolicy: Failed). Returns the function that releases it.
 */
export function lockResultLog(file: string): () => void {
  const lock = `${file}.lock`;
  const holder: LockHolder = { host: os.hostname(), pid: process.pid };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lock, JSON.stringify(holder), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let other: LockHolder | null = null;
    try {
      other = JSON.parse(fs.readFileSync(lock, 'utf8')) as LockHolder;
    } catch {
      // Cut while it was written (a kill between create and write) or gone since: stale either way.
    }
    if (other !== null && other.host === holder.host && isAlive(other.pid)) {
      throw new ResultLogError(`${file} is being written by process ${other.pid} on ${other.host}; if that scan is no longer running, remove ${lock}`);
    }
    fs.rmSync(lock, { force: true });
  }
  throw new ResultLogError(`could not lock ${file}: ${lock} keeps coming back`);
}
