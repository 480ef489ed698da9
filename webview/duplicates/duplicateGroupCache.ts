import type { DuplicateGroup, DuplicateGroupsReply } from '../../src/protocol/webview';

/** Groups per request: a screenful of rows many times over. */
export const GROUP_PAGE = 50;
/** Pages kept; the least recently used is dropped past this. */
const MAX_PAGES = 40;

/** Fetches a page of groups from the host. */
export type FetchGroups = (offset: number, limit: number) => Promise<DuplicateGroupsReply>;

/**
 * The duplicate groups the view has seen, by page, for one revision of the results: the view
 * asks only for the rows in sight, and a page in flight is asked for once.
 */
export class DuplicateGroupCache {
  private readonly pages = new Map<number, readonly DuplicateGroup[]>();
  private readonly inFlight = new Map<number, Promise<void>>();
  private revision = -1;
  private knownTotal: number | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly fetch: FetchGroups) {}

  /** Forget everything: the results changed. */
  reset(revision: number): void {
    if (revision === this.revision) return;
    this.revision = revision;
    this.pages.clear();
    this.inFlight.clear();
    this.knownTotal = undefined;
  }

  /** Number of groups, once a page has said. */
  get total(): number | undefined {
    return this.knownTotal;
  }

  /** The group at `index` if its page is here; otherwise asks for the page and returns undefined. */
  groupAt(index: number): DuplicateGroup | undefined {
    const pageIndex = Math.floor(index / GROUP_PAGE);
    const page = this.pages.get(pageIndex);
    if (page) {
      // Refresh its place in the LRU order.
      this.pages.delete(pageIndex);
      this.pages.set(pageIndex, page);
      return page[index - pageIndex * GROUP_PAGE];
    }
    this.load(pageIndex);
    return undefined;
  }

  /** Every group, page by page (for "keep one of each"). */
  async all(): Promise<DuplicateGroup[]> {
    const groups: DuplicateGroup[] = [];
    for (let offset = 0; ; offset += GROUP_PAGE) {
      const reply = await this.fetch(offset, GROUP_PAGE);
      groups.push(...reply.groups);
      if (reply.groups.length === 0 || offset + GROUP_PAGE >= reply.total) return groups;
    }
  }

  /** Called when a page arrives. */
  onPageLoaded(listener: () => void): void {
    this.listeners.add(listener);
  }

  private load(pageIndex: number): void {
    if (this.inFlight.has(pageIndex)) return;
    const revision = this.revision;
    const loading = this.fetch(pageIndex * GROUP_PAGE, GROUP_PAGE).then(
      (reply) => {
        if (revision !== this.revision) return;
        this.inFlight.delete(pageIndex);
        this.knownTotal = reply.total;
        this.pages.set(pageIndex, reply.groups);
        while (this.pages.size > MAX_PAGES) this.pages.delete(this.pages.keys().next().value as number);
        for (const listener of this.listeners) listener();
      },
      () => {
        if (revision === this.revision) this.inFlight.delete(pageIndex);
      },
    );
    this.inFlight.set(pageIndex, loading);
  }
}
