import * as fs from 'fs';
import type { OutlierReason, ScoredImage } from '../../protocol/scanResults';
import { judgeFolder } from '../../engine/signals/folderReasons';
import type { FolderMeasures } from '../../engine/signals/folderMeasureTable';
import type { FolderFindingsMessage } from './folderFindings';
import { HOST_JUDGE_LIMIT } from './folderFindings';
import type { StorePlace } from './resultStore';

/** What the folder rules read of one stored image. */
interface MeasuredImage {
  readonly relativePath: string;
  readonly measures?: FolderMeasures;
}

/**
 * Judges the folder rules (the engine's `judgeFolder`, the same rules the CLI's export applies)
 * over every scored image, whichever run scored it or whether it came from the results cache:
 * the engine process sees only the images it rescored. Images without measures take no part.
 * Past {@link HOST_JUDGE_LIMIT} images nothing is judged (`skipped`).
 */
export function judgeFolderFindings(imagesByScore: readonly MeasuredImage[]): FolderFindingsMessage {
  if (imagesByScore.length > HOST_JUDGE_LIMIT) return { reasons: [], duplicates: { exact: [], near: [] }, judgedCount: imagesByScore.length, skipped: true };
  const bare = imagesByScore.map((image) => ({ relativePath: image.relativePath, measures: image.measures, reasons: [] as OutlierReason[] }));
  const judged = judgeFolder(bare, { oddSizes: true, duplicates: true });
  const reasons = judged.items.filter((item) => item.reasons.length > 0).map((item) => [item.relativePath, item.reasons] as const);
  return { reasons, duplicates: judged.duplicates, judgedCount: imagesByScore.length };
}

/** The images of a result store at `places` (in that order), each read from `file` with its measures only. */
export function readMeasuredImages(file: string, places: readonly StorePlace[]): MeasuredImage[] {
  const images: MeasuredImage[] = new Array<MeasuredImage>(places.length);
  // Read in file order (the records of a scan lie mostly in it), kept in the order asked for.
  const order = Int32Array.from(places, (_, i) => i).sort((a, b) => places[a].offset - places[b].offset);
  const fd = fs.openSync(file, 'r');
  try {
    let buffer = Buffer.alloc(1 << 16);
    for (const i of order) {
      const { offset, length } = places[i];
      if (length > buffer.length) buffer = Buffer.alloc(2 * length);
      fs.readSync(fd, buffer, 0, length, offset);
      let record: Partial<ScoredImage>;
      try {
        record = JSON.parse(buffer.toString('utf8', 0, length)) as Partial<ScoredImage>;
      } catch {
        throw new Error(`${file}: no result record at byte ${offset} (the file changed while it was read)`);
      }
      if (typeof record.relativePath !== 'string') throw new Error(`${file}: no result record at byte ${offset}`);
      images[i] = { relativePath: record.relativePath, measures: record.measures };
    }
  } finally {
    fs.closeSync(fd);
  }
  return images;
}
