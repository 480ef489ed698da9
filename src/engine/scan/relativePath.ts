/** `file` relative to `folder`, POSIX separators: how every result names an image (walk errors carry absolute paths). */
export function relativeTo(folder: string, file: string): string {
  const relative = file.startsWith(folder) ? file.slice(folder.length).replace(/^[\\/]+/, '') : file;
  return relative.split('\\').join('/');
}
