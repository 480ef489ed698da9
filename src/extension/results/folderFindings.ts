import { MARK_ONLY_REASONS } from '../../protocol/scanResults';
import type { OutlierReason, ScoredImage } from '../../protocol/scanResults';
import { judgeFolder } from '../../engine/signals/folderReasons';

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

/**
 * Most images the host judges: grouping near duplicates grows faster than the folder (measured in
 * docs/panel.md: 10,000 images took seconds, 30,000 minutes on the shared VM), and it runs on the
 * extension host's thread, which must never freeze the editor.
 */
export const HOST_JUDGE_LIMIT = 20_000;

/** Before the first judgement. */
export const NO_FOLDER_FINDINGS: FolderFindings = { reasons: new Map(), duplicates: { exact: [], near: [] }, judgedCount: 0 };

/**
 * Judges the folder rules (the engine's `judgeFolder`, the same rules the CLI's export applies)
 * over every scored image, whichever run scored it or whether it came from the results cache:
 * the engine process sees only the images it rescored. Images without measures take no part.
 * Past {@link HOST_JUDGE_LIMIT} images nothing is judged (`skipped`).
 */
export function judgeFolderFindings(imagesByScore: readonly ScoredImage[]): FolderFindings {
  if (imagesByScore.length > HOST_JUDGE_LIMIT) return { ...NO_FOLDER_FINDINGS, judgedCount: imagesByScore.length, skipped: true };
  const bare = imagesByScore.map((image) => ({ relativePath: image.relativePath, measures: image.measures, reasons: [] as OutlierReason[] }));
  const judged = judgeFolder(bare, { oddSizes: true, duplicates: true });
  const reasons = new Map<string, readonly OutlierReason[]>();
  for (const item of judged.items) {
    if (item.reasons.length > 0) reasons.set(item.relativePath, item.reasons);
  }
  return { reasons, duplicates: judged.duplicates, judgedCount: imagesByScore.length };
}

/** An image's reasons as the panel shows them: its own calibrated ones, then the folder's. */
export function reasonsWithFolder(image: Pick<ScoredImage, 'relativePath' | 'reasons'>, findings: FolderFindings): readonly OutlierReason[] | undefined {
  const folder = findings.reasons.get(image.relativePath);
  // Folder reasons an item carries from elsewhere (an older cache) are replaced by the whole folder's judgement.
  const own = image.reasons?.filter((reason) => !MARK_ONLY_REASONS.includes(reason));
  if (!folder) return own && own.length > 0 ? own : undefined;
  return own && own.length > 0 ? [...own, ...folder] : folder;
}
