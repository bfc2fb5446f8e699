import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/store/nats/group-commit.js';

/** A store whose commits stay open until the test settles them. */
function heldStore() {
  const commits: Array<{ items: number[]; done(): void; fail(error: Error): void }> = [];
  const store = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      commits.push({ items, done: resolve, fail: reject });
    });
  return { commits, store };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('commits what arrives in one turn together and answers every caller', async () => {
    const { commits, store } = heldStore();
    const group = new GroupCommit(store);

    const answered = [group.add([1, 2]), group.add([3]), group.add([])];
    await turn();
    expect(commits.map((c) => c.items)).toEqual([[1, 2, 3]]);

    commits[0]!.done();
    await expect(Promise.all(answered)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('gathers items while the most commits are in flight into the next one', async () => {
    const { commits, store } = heldStore();
    const group = new GroupCommit(store);

    const first = [];
    for (let i = 0; i < 4; i++) {
      first.push(group.add([i]));
      await turn();
    }
    const later = [group.add([10]), group.add([11])];
    await turn();
    group.add([12]).catch(() => undefined);
    await turn();
    expect(commits.map((c) => c.items)).toEqual([[0], [1], [2], [3]]);

    commits[1]!.done();
    await turn();
    await turn();
    expect(commits.map((c) => c.items)).toEqual([[0], [1], [2], [3], [10, 11, 12]]);
    await first[1];
    commits[4]!.done();
    await Promise.all(later);
  });

  it('rejects every caller of a failed commit with its error, and carries on', async () => {
    const { commits, store } = heldStore();
    const group = new GroupCommit(store);

    const failed = [group.add([1]), group.add([2])];
    await turn();
    commits[0]!.fail(new Error('no quorum'));
    for (const answer of failed) await expect(answer).rejects.toThrow('no quorum');

    const next = group.add([3]);
    await turn();
    commits[1]!.done();
    await expect(next).resolves.toBeUndefined();
  });
});
