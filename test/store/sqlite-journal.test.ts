import { afterEach, describe, expect, it } from 'vitest';
import type { PublishedMessage } from '../../src/domain/message.js';
import { openDatabase, type SqliteDatabase } from '../../src/store/sqlite/database.js';
import { SqliteJournal } from '../../src/store/sqlite/sqlite-journal.js';
import { tempDir } from '../support/temp-dir.js';

function message(journal: SqliteJournal, body: string): PublishedMessage {
  return {
    seq: journal.nextSeq(),
    messageId: `id-${body}`,
    topicArn: 'arn:aws:sns:us-east-1:000000000000:t',
    body,
    attributes: { a: { Type: 'String', Value: 'x' } },
    publishedAt: 1,
  };
}

describe('SqliteJournal', () => {
  const dir = tempDir();
  let db: SqliteDatabase | undefined;
  afterEach(() => {
    db?.close();
    dir.remove();
  });

  function reopen(): SqliteJournal {
    db?.close();
    db = openDatabase(dir.path);
    return new SqliteJournal(db);
  }

  it('keeps appended deliveries until they are acked, across reopening', async () => {
    let journal = reopen();
    const first = message(journal, 'one');
    const second = message(journal, 'two');
    await journal.append([
      { message: first, subscriptionIds: [1, 2] },
      { message: second, subscriptionIds: [1] },
    ]);
    journal.ack({ messageSeq: first.seq, subscriptionId: 1 }, false);
    journal.retry({
      messageSeq: first.seq,
      subscriptionId: 2,
      attempt: 1,
      dueAt: 99,
      lastError: 'boom',
    });
    journal.flush();

    journal = reopen();
    const { deliveries, messages } = journal.loadPending();
    expect(deliveries).toEqual([
      { messageSeq: first.seq, subscriptionId: 2, attempt: 1, dueAt: 99, lastError: 'boom' },
      { messageSeq: second.seq, subscriptionId: 1, attempt: 0, dueAt: 1 },
    ]);
    expect(messages.get(first.seq)).toEqual(first);
    expect(journal.nextSeq()).toBeGreaterThan(second.seq);
  });

  it('moves a dead letter to its queue and drops the finished message', async () => {
    let journal = reopen();
    const only = message(journal, 'dead');
    await journal.append([{ message: only, subscriptionIds: [7] }]);
    journal.deadLetter({ messageSeq: only.seq, subscriptionId: 7 }, true, {
      queueName: 'dlq',
      body: only.body,
      attributes: only.attributes,
    });
    journal.flush();

    journal = reopen();
    expect(journal.loadPending().deliveries).toEqual([]);
    expect(await journal.queueDepth('dlq')).toBe(1);
    const [taken] = await journal.takeFromQueue('dlq', 10);
    expect(taken).toMatchObject({ body: 'dead', receiveCount: 1 });
    expect(await journal.queueDepth('dlq')).toBe(0);
  });
});
