// Scripted answers to the extension's questions (quick picks, dialogs, messages), and a record of what it showed.

/** An item of a quick pick as the extension builds it. */
export interface PickItem {
  readonly label: string;
  readonly kind?: number;
  readonly description?: string;
  readonly detail?: string;
}

/** A message the extension showed, with its buttons. */
export interface ShownMessage {
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly items: readonly string[];
}

/** What a test scripts and reads. */
export class FakeUi {
  /** Answers for the next quick picks, in order: given the items, return the one to pick (or undefined). */
  readonly quickPicks: Array<(items: readonly PickItem[], title?: string) => PickItem | undefined> = [];
  /** Every quick pick shown: its items and title. */
  readonly shownQuickPicks: Array<{ items: readonly PickItem[]; title?: string }> = [];
  /** Answers for the next open dialogs: file system paths, or undefined for Cancel. */
  readonly openDialogs: Array<string | undefined> = [];
  /** Answers for the next save dialogs. */
  readonly saveDialogs: Array<string | undefined> = [];
  /** Every save dialog shown: the file it suggested and its title. */
  readonly shownSaveDialogs: Array<{ defaultPath?: string; title?: string }> = [];
  /** Messages shown. */
  readonly messages: ShownMessage[] = [];
  /** Which button to press on a message (default: none). */
  messageAnswer: (message: ShownMessage) => string | undefined = () => undefined;

  /** Picks the item whose label contains `text`. */
  static pickLabel(text: string): (items: readonly PickItem[]) => PickItem | undefined {
    return (items) => {
      const found = items.find((item) => item.label.includes(text) && item.kind !== -1);
      if (!found) throw new Error(`no quick pick item contains "${text}": ${items.map((item) => item.label).join(' | ')}`);
      return found;
    };
  }

  /** Messages at `level` (or all). */
  messagesAt(level?: ShownMessage['level']): string[] {
    return this.messages.filter((entry) => !level || entry.level === level).map((entry) => entry.message);
  }

  reset(): void {
    this.quickPicks.length = 0;
    this.shownQuickPicks.length = 0;
    this.openDialogs.length = 0;
    this.saveDialogs.length = 0;
    this.shownSaveDialogs.length = 0;
    this.messages.length = 0;
    this.messageAnswer = () => undefined;
  }
}
