// Between two parses of a config: which members the user has edited (stale at once) and where each
// member's entry and id now are (so annotations, hovers and CodeLens stay on the right lines).
// Pure (no vscode). The next parse calls `reset` with the fresh ranges and clears the edited set.
import { mapRange, touches, type Rng, type TextChange } from './rangeMap';

export interface TrackedMember {
  id: string;
  /** The member's whole entry (`{...}`). */
  range: Rng;
  /** The `id` value (the line annotations go on). */
  idRange: Rng;
}

export class EditTracker {
  /** In config order (ids may repeat in a config with a duplicate-id error). */
  private members: TrackedMember[] = [];
  private editedIds = new Set<string>();
  /** Members touched by edits after the last reset (their parse is still to come). */
  private sinceReset = new Set<string>();
  private extra: Rng[] = [];
  /** Blocks every member depends on (`data`, `defaults`, `task`): an edit there touches them all. */
  private shared: Rng[] = [];
  /** Number of changes applied since the last reset. */
  pending = 0;

  /**
   * Starts over from a fresh parse: its ranges. `extra` are other ranges to map (e.g. the members
   * array); `shared` are the blocks every member depends on (an edit inside one touches all members). The edited set is kept until `clearEdited` (the caller clears it once the new parse's
   * cache state is known, so an edited member never shows its old state in between).
   */
  reset(members: readonly TrackedMember[], extra: readonly Rng[] = [], shared: readonly Rng[] = []): void {
    this.members = members.map((m) => ({ ...m }));
    this.extra = [...extra];
    this.shared = [...shared];
    this.pending = 0;
    this.sinceReset.clear();
  }

  /** Forgets the members edited before the last reset (those edited since stay stale). */
  clearEdited(): void {
    this.editedIds = new Set(this.sinceReset);
  }

  /**
   * Applies the changes of one document edit; returns the ids that became edited with it (empty
   * when the edit touched no member, or only members already edited).
   */
  apply(changes: readonly TextChange[]): string[] {
    const newly: string[] = [];
    for (const c of changes) {
      this.pending++;
      const everyone = this.shared.some((r) => touches(r, c));
      this.shared = this.shared.map((r) => mapRange(r, c));
      for (const m of this.members) {
        if (everyone || touches(m.range, c)) {
          this.sinceReset.add(m.id);
          if (!this.editedIds.has(m.id)) {
            this.editedIds.add(m.id);
            newly.push(m.id);
          }
        }
        m.range = mapRange(m.range, c);
        m.idRange = mapRange(m.idRange, c);
      }
      this.extra = this.extra.map((r) => mapRange(r, c));
    }
    return newly;
  }

  get edited(): ReadonlySet<string> {
    return this.editedIds;
  }

  /** The member's current ranges (mapped through the edits since the last parse). */
  get(id: string): TrackedMember | undefined {
    return this.members.find((m) => m.id === id);
  }

  /** The current ranges of the i-th member of the parse (robust to duplicate ids). */
  at(index: number): TrackedMember | undefined {
    return this.members[index];
  }

  /** The extra ranges given to `reset`, mapped. */
  extraRanges(): readonly Rng[] {
    return this.extra;
  }

  /** The member whose entry contains the line, if any (innermost match is the only one: entries do not nest). */
  memberAtLine(line: number): TrackedMember[] {
    return this.members.filter((m) => m.range.start.line <= line && line <= m.range.end.line);
  }
}
