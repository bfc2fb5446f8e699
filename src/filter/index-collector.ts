/** Something an index hands matching items to. */
export interface Collector<T> {
  add(item: T): void;
}

/** Removes one occurrence of `item` from `list` (order is not kept). */
export function removeItem<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at < 0) return;
  list[at] = list[list.length - 1] as T;
  list.pop();
}

/** Hands every item of `list` to `collector`. */
export function addAll<T>(list: readonly T[] | undefined, collector: Collector<T>): void {
  if (list === undefined) return;
  for (let i = 0; i < list.length; i++) collector.add(list[i] as T);
}
