import { promises as fs } from 'node:fs';
import { describeFileSystemError } from '../fileSystemReason';
import { ImageDecodeError } from './imageDecodeError';

/**
 * Reads a whole image file, failing with "empty file", "permission denied", "is a folder, not an
 * image file" and the like. The bytes are read once and shared by format sniffing, the BMP
 * decoder and sharp, so a file changing mid-decode cannot mix two versions.
 */
export async function readImageFile(path: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    throw new ImageDecodeError(path, describeFileSystemError(error));
  }
  if (bytes.length === 0) throw new ImageDecodeError(path, 'empty file');
  return bytes;
}
