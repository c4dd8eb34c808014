// Select Members (editor) and `report --member` (CLI): which of a config's members make up the ensemble.
// A selection is kept as the ids the user picked; what applies is its intersection with the config's
// current members, so a renamed or removed member simply drops out.

/**
 * The selection that applies to a config with these member ids: the picked ids that still exist, in
 * config order; undefined (every member) when nothing is picked, nothing picked exists any more, or
 * every member is picked.
 */
export function effectiveSelection(memberIds: readonly string[], picked: readonly string[] | undefined): string[] | undefined {
  if (!picked) return undefined;
  const set = new Set(picked);
  const ids = memberIds.filter((id) => set.has(id));
  return ids.length === 0 || ids.length === memberIds.length ? undefined : ids;
}

/** A comparable key of an effective selection ('' for every member). */
export function selectionKey(selection: readonly string[] | undefined): string {
  return selection ? JSON.stringify(selection) : '';
}

/** What Select Members tells the user after a pick. */
export function selectionMessage(selected: number, total: number): string {
  return selected === total || selected === 0
    ? `all ${total} members selected: the ensemble is every member again.`
    : `${selected} of ${total} members selected: the ensemble's numbers and findings are over these, and Train Ensemble trains these.`;
}
