import type { FolderFindingsMessage } from './folderFindings';

/** Judge the images whose records lie at these places of `file`, in score order. */
export interface FolderJudgeRequest {
  readonly requestId: number;
  readonly file: string;
  readonly offsets: Float64Array;
  readonly lengths: Uint32Array;
}

/** The findings, or why there are none (the store moved or changed while it was read). */
export type FolderJudgeReply = { readonly requestId: number } & ({ readonly findings: FolderFindingsMessage } | { readonly error: string });
