import picomatch from 'picomatch';
import { DEFAULT_IMAGE_EXTENSIONS } from './types';
import type { FolderWalkOptions } from './types';

/** The walk's decisions about names, compiled once from its options. */
export interface ImageFileFilter {
  /** Should the walk look at this entry at all (dotfiles)? */
  isVisible(name: string): boolean;
  /** Is this folder (relative POSIX path) excluded, so that the walk does not enter it? */
  isExcludedFolder(relativePath: string): boolean;
  /** Is this file (relative POSIX path) an image the caller asked for? */
  acceptsFile(relativePath: string): boolean;
}

/** Compiles include/exclude globs and the extension list of `options` into one filter. */
export function createImageFileFilter(options: FolderWalkOptions = {}): ImageFileFilter {
  const dot = options.dot ?? false;
  const extensions = new Set(
    (options.extensions ?? DEFAULT_IMAGE_EXTENSIONS).map((extension) => extension.replace(/^\./, '').toLowerCase()),
  );
  const include = options.include && options.include.length > 0 ? picomatch([...options.include], { dot }) : undefined;
  const exclude = options.exclude && options.exclude.length > 0 ? picomatch([...options.exclude], { dot }) : undefined;
  return {
    isVisible: (name) => dot || !name.startsWith('.'),
    isExcludedFolder: (relativePath) => exclude !== undefined && exclude(relativePath),
    acceptsFile: (relativePath) => {
      const lastDot = relativePath.lastIndexOf('.');
      const extension = lastDot > relativePath.lastIndexOf('/') ? relativePath.slice(lastDot + 1).toLowerCase() : '';
      if (!extensions.has(extension)) return false;
      if (exclude?.(relativePath)) return false;
      return include === undefined || include(relativePath);
    },
  };
}
