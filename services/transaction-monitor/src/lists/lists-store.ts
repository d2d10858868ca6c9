import type { Database } from '@wallet-guard/db';
import type { Kysely, Transaction } from 'kysely';
import { readListsInForce, readListsVersion } from './lists-repo';
import { EMPTY_LISTS, type ListsSnapshot, listsSnapshot } from './lists-snapshot';

/**
 * The managed lists in memory, refreshed when their version changes: a scoring batch reads the
 * version (one primary-key read per batch, never per transaction) and the entries are read again
 * only when it moved, by whichever instance changed them. Reloads are shared (one at a time) and
 * the snapshot only moves forward.
 */
export class ListsStore {
  private snapshot: ListsSnapshot = EMPTY_LISTS;
  private loading: Promise<ListsSnapshot> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly onRefresh?: (snapshot: ListsSnapshot) => void,
  ) {}

  /**
   * The lists at `reader`'s current version or later (a later one when another change landed
   * while reloading): the version a flag records is that of the entries it was scored with.
   */
  async current(reader: Kysely<Database> | Transaction<Database>): Promise<ListsSnapshot> {
    const version = await readListsVersion(reader);
    if (version <= this.snapshot.version) return this.snapshot;
    return this.refresh(version);
  }

  /** The snapshot last loaded, without asking the database (metrics, tests). */
  latest(): ListsSnapshot {
    return this.snapshot;
  }

  private async refresh(wanted: number): Promise<ListsSnapshot> {
    while (this.loading) {
      const loaded = await this.loading.catch(() => this.snapshot);
      if (loaded.version >= wanted) return loaded;
    }
    const load: Promise<ListsSnapshot> = readListsInForce(this.db)
      .then(({ version, entries }) => {
        const next = listsSnapshot(version, entries);
        if (next.version > this.snapshot.version) {
          this.snapshot = next;
          this.onRefresh?.(next);
        }
        return this.snapshot;
      })
      .finally(() => {
        if (this.loading === load) this.loading = null;
      });
    this.loading = load;
    return load;
  }
}
