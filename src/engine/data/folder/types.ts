/** One image file found under a scanned folder. */
export interface ImageFileEntry {
  /** Absolute path, as reached from the root (symbolic links are not resolved). */
  readonly path: string;
  /** Path relative to the root with `/` separators on every platform, e.g. `cats/001.png`. */
  readonly relativePath: string;
  /** Size in bytes of the file (of the target, for a symbolic link). */
  readonly size: number;
  /** Last modification time in milliseconds since the epoch, for cache invalidation. */
  readonly mtimeMs: number;
}

/** A path the walk could not read, with the reason in plain words. */
export interface FolderWalkError {
  readonly path: string;
  readonly reason: string;
}

/** Everything a folder walk found: image files in stable order, and what it could not read. */
export interface FolderWalkResult {
  readonly files: ImageFileEntry[];
  readonly errors: FolderWalkError[];
}

/** Which files a walk keeps. */
export interface FolderWalkOptions {
  /** Globs on the relative POSIX path; a file must match one of them. Default: every file. */
  readonly include?: readonly string[];
  /** Globs on the relative POSIX path; a matching file is dropped and a matching folder is not entered. */
  readonly exclude?: readonly string[];
  /** File extensions to keep, with or without the dot, any case. Default: {@link DEFAULT_IMAGE_EXTENSIONS}. */
  readonly extensions?: readonly string[];
  /** Also walk dotfiles and dot-folders (`.git`, `.cache`). Default false. */
  readonly dot?: boolean;
}

/** Extensions of the image formats the decoder reads. */
export const DEFAULT_IMAGE_EXTENSIONS: readonly string[] = [
  'png', 'jpg', 'jpeg', 'webp', 'gif', 'tif', 'tiff', 'avif', 'bmp',
];
