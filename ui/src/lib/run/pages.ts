/** Every page of a cursor-paged list (GET /runs/{id}/task-runs): the run detail page
 * shows all of a run's task runs at once, however many pages the API splits them in. */

export type CursorPage<T> = { items: T[]; next_cursor: string | null };

/** A guard against a cursor that never ends (a server bug must not hang the page). */
export const MAX_PAGES = 100;

export async function collectPages<T>(
  fetchPage: (cursor: string | null) => Promise<CursorPage<T>>,
  maxPages = MAX_PAGES,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < maxPages; page += 1) {
    const answer: CursorPage<T> = await fetchPage(cursor);
    items.push(...answer.items);
    if (!answer.next_cursor || answer.next_cursor === cursor || answer.items.length === 0) break;
    cursor = answer.next_cursor;
  }
  return items;
}
