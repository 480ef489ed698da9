import * as fs from 'fs';
import { MARK_ONLY_REASONS } from '../../protocol/scanResults';
import type { OutlierReason, ScoredImage } from '../../protocol/scanResults';
import { judgeFolder } from '../../engine/signals/folderReasons';
import type { FolderMeasures } from '../../engine/signals/folderMeasureTable';
import type { StorePlace } from './resultStore';

/** What only the whole folder can say: odd sizes and duplicate groups, judged over every scored image. */
export interface FolderFindings {
  /** The folder reasons (`odd-size`, `exact-duplicate`, `near-duplicate`) by path; paths without any are absent. */
  readonly reasons: ReadonlyMap<string, readonly OutlierReason[]>;
  /** Duplicate groups as paths, each in score order, groups by their first member. */
  readonly duplicates: { readonly exact: readonly (readonly string[])[]; readonly near: readonly (readonly string[])[] };
  /** How many scored images the judgement saw (the result set may have grown since). */
  readonly judgedCount: number;
  /** The folder held more than {@link HOST_JUDGE_LIMIT} images: not judged in the editor, no findings. */
  readonly skipped?: boolean;
}

/** Folder findings as they cross from the judging thread (a Map does not survive every transport). */
export interface FolderFindingsMessage {
  readonly reasons: ReadonlyArray<readonly [string, readonly OutlierReason[]]>;
  readonly duplicates: FolderFindings['duplicates'];
  readonly judgedCount: number;
  readonly skipped?: boolean;
}

/**
 * Most images the editor judges. The judgement runs on a thread of its own, so this bounds its
 * memory, not the editor's responsiveness: it holds every image's hashes as strings while it
 * groups, about 0.5 KB an image (docs/panel.md). Past it the CLI's export judges the folder.
 */
export const HOST_JUDGE_LIMIT = 250_000;

/** Before the first judgement. */
export const NO_FOLDER_FINDINGS: FolderFindings = { reasons: new Map(), duplicates: { exact: [], near: [] }, judgedCount: 0 };

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

/** Folder findings from what the judging thread sent. */
export function folderFindingsOf(message: FolderFindingsMessage): FolderFindings {
  return { ...message, reasons: new Map(message.reasons) };
}

/** An image's reasons as the panel shows them: its own calibrated ones, then the folder's. */
export function reasonsWithFolder(image: ScoredImage, findings: FolderFindings): readonly OutlierReason[] | undefined {
  const folder = findings.reasons.get(image.relativePath);
  // Folder reasons an item carries from elsewhere (an older cache) are replaced by the whole folder's judgement.
  const own = image.reasons?.filter((reason) => !MARK_ONLY_REASONS.includes(reason));
  if (!folder) return own && own.length > 0 ? own : undefined;
  return own && own.length > 0 ? [...own, ...folder] : folder;
}
