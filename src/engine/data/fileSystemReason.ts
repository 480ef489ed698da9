/**
 * Turns a Node file-system error into words a person understands; the raw errno code stays out
 * of the gallery because "EACCES" means nothing to most users.
 */
export function describeFileSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'file not found';
    case 'EISDIR':
      return 'is a folder, not an image file';
    case 'ENOTDIR':
      return 'not a folder';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error while reading';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
