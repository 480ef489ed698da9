import { MARK_ONLY_REASONS } from '../../protocol/scanResults';
import type { OutlierReason } from '../../protocol/scanResults';

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

/** Folder findings from what the judging thread sent. */
export function folderFindingsOf(message: FolderFindingsMessage): FolderFindings {
  return { ...message, reasons: new Map(message.reasons) };
}

/** An image's reasons as the panel shows them: its own calibrated ones, then the folder's. */
export function reasonsWithFolder(image: { readonly relativePath: string; readonly reasons?: readonly OutlierReason[] }, findings: FolderFindings): readonly OutlierReason[] | undefined {
  const folder = findings.reasons.get(image.relativePath);
  // Folder reasons an item carries from elsewhere (an older cache) are replaced by the whole folder's judgement.
  const own = image.reasons?.filter((reason) => !MARK_ONLY_REASONS.includes(reason));
  if (!folder) return own && own.length > 0 ? own : undefined;
  return own && own.length > 0 ? [...own, ...folder] : folder;
}
