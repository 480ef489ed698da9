import type { CommandId } from '../commands/commandIds';
import type { FromSideViewMessage, SideViewCommand } from '../../protocol/sideView';
import { SIDE_VIEW_COMMANDS } from '../../protocol/sideView';

/** Each of the side view's commands is one of the extension's (a compile-time check). */
const SIDE_VIEW_COMMAND_IDS: readonly CommandId[] = SIDE_VIEW_COMMANDS;

/** Checks a message from the side view (untrusted input); null when it is not one. */
export function parseFromSideView(raw: unknown): FromSideViewMessage | null {
  const message = raw as Record<string, unknown> | null;
  if (typeof message !== 'object' || message === null) return null;
  if (message.type === 'ready') return { type: 'ready' };
  if (message.type === 'setThreshold' && (message.method === 'absolute' || message.method === 'percentile' || message.method === 'fpr') && typeof message.text === 'string') {
    return { type: 'setThreshold', method: message.method, text: message.text.slice(0, 100) };
  }
  if (message.type === 'resetThreshold') return { type: 'resetThreshold' };
  if (message.type === 'run' && SIDE_VIEW_COMMAND_IDS.includes(message.command as CommandId)) return { type: 'run', command: message.command as SideViewCommand };
  return null;
}
