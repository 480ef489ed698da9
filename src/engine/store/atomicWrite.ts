import * as fs from 'fs';
import * as path from 'path';

/** A sibling path for temporary output, unique to this process and call. */
function siblingTemp(target: string, kind: string): string {
  const random = Math.random().toString(36).slice(2, 10);
  return path.join(path.dirname(target), `.${path.basename(target)}.${kind}-${process.pid}-${random}`);
}

/**
 * Writes `data` to `file` so that a reader (or a crash) sees the old file or the new one, never
 * half of one: a temporary file in the same folder, flushed, then renamed over the target.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await replaceFileAtomically(file, (handle) => handle.writeFile(data));
}

/**
 * Builds a folder with `fill(tempFolder)` next to `folder`, then swaps it into place. A killed run
 * leaves at most a hidden temporary folder, never a half-written `folder`; an existing `folder` is
 * replaced only once the new one is complete.
 */
export async function writeFolderAtomic(folder: string, fill: (tempFolder: string) => Promise<void>): Promise<void> {
  await fs.promises.mkdir(path.dirname(folder), { recursive: true });
  const temp = siblingTemp(folder, 'tmp');
  await fs.promises.mkdir(temp);
  try {
    await fill(temp);
    await syncFolderFiles(temp);
  } catch (error) {
    await fs.promises.rm(temp, { recursive: true, force: true });
    throw error;
  }
  // rename() cannot replace a non-empty folder: move the old one aside first, then drop it.
  const old = siblingTemp(folder, 'old');
  const hadOld = fs.existsSync(folder);
  if (hadOld) {
    await fs.promises.rename(folder, old);
  }
  try {
    await fs.promises.rename(temp, folder);
  } catch (error) {
    if (hadOld) {
      await fs.promises.rename(old, folder);
    }
    await fs.promises.rm(temp, { recursive: true, force: true });
    throw error;
  }
  if (hadOld) {
    await fs.promises.rm(old, { recursive: true, force: true });
  }
}

/** Flushes every file under `folder` to disk, so that the rename publishes complete files. */
async function syncFolderFiles(folder: string): Promise<void> {
  for (const entry of await fs.promises.readdir(folder, { withFileTypes: true })) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      await syncFolderFiles(entryPath);
    } else if (entry.isFile()) {
      const handle = await fs.promises.open(entryPath, 'r');
      await handle.sync();
      await handle.close();
    }
  }
}

/** Text written in pieces, as `writeStreamedFileAtomic` hands it to its producer. */
export type TextSink = (text: string) => Promise<void>;

/**
 * `writeFileAtomic` for output too large to hold as one string: `produce` writes it in pieces
 * (buffered to about a megabyte a write) to a temporary file, which is flushed and renamed over
 * `file` only once `produce` has finished.
 */
export async function writeStreamedFileAtomic(file: string, produce: (write: TextSink) => Promise<void>): Promise<void> {
  await replaceFileAtomically(file, async (handle) => {
    let buffered: string[] = [];
    let bufferedLength = 0;
    const flush = async (): Promise<void> => {
      if (bufferedLength > 0) await handle.write(buffered.join(''));
      buffered = [];
      bufferedLength = 0;
    };
    await produce(async (text) => {
      buffered.push(text);
      bufferedLength += text.length;
      if (bufferedLength >= 1 << 20) await flush();
    });
    await flush();
  });
}

/** Fills a temporary file beside `file` with `fill`, flushes it, and renames it over `file`; on failure the temporary file goes. */
async function replaceFileAtomically(file: string, fill: (handle: fs.promises.FileHandle) => Promise<void>): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temp = siblingTemp(file, 'tmp');
  try {
    const handle = await fs.promises.open(temp, 'w');
    try {
      await fill(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, file);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
}
