import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { HeraldError } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';

/** The key holding the first id no node has reserved yet (decimal text). */
export const ID_COUNTER_KEY = 'ids.next';
/** How many ids a node reserves at once. */
export const ID_BLOCK_SIZE = 1_000;
/** How often a reservation is tried again when other nodes keep winning the race. */
const MAX_ATTEMPTS = 50;
/** How long opening keeps trying to reserve the first block. */
const OPEN_PATIENCE_MS = 20_000;
/** The pause between those tries. */
const OPEN_PAUSE_MS = 250;

/** A reserved run of ids: `start` up to, not including, `end`. */
interface Block {
  start: number;
  end: number;
}

/**
 * Positive ids, unique across every node sharing a bucket, handed out synchronously. Each
 * node reserves blocks of consecutive ids by advancing a counter key with compare-and-set
 * (`kv.create`, then `kv.update` at the revision it read), and reserves its next block in
 * the background once half of the current one is used. Ids reserved but never handed out
 * (a node stops) are skipped, never reused.
 */
export class IdBlocks {
  private current: Block = { start: 0, end: 0 };
  private next = 0;
  private spare: Block | undefined;
  private refill: Promise<void> | undefined;

  private constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
    private readonly blockSize: number,
  ) {}

  /**
   * Reserves the first block, trying for a while: a bucket just created with several
   * replicas answers only once its servers have elected a leader. Fails with
   * `ServiceUnavailable` when NATS does not answer in time.
   */
  static async open(kv: KV, logger: Logger, blockSize = ID_BLOCK_SIZE): Promise<IdBlocks> {
    const ids = new IdBlocks(kv, logger, blockSize);
    const deadline = Date.now() + OPEN_PATIENCE_MS;
    for (;;) {
      try {
        ids.use(await ids.reserve());
        return ids;
      } catch (error) {
        if (Date.now() >= deadline) throw exhausted(error);
        logger.debug({ err: error }, 'cannot reserve ids in NATS yet; trying again');
        await new Promise((resolve) => setTimeout(resolve, OPEN_PAUSE_MS));
      }
    }
  }

  /**
   * A fresh id. Throws `ServiceUnavailable` when the reserved ids ran out before the next
   * block could be reserved (NATS is unreachable, or ids are asked for faster than it
   * answers).
   */
  take(): number {
    if (this.next >= this.current.end) {
      if (!this.spare) {
        this.startRefill();
        throw exhausted(undefined);
      }
      this.use(this.spare);
      this.spare = undefined;
    }
    const id = this.next++;
    if (!this.spare && this.next - this.current.start >= this.blockSize / 2) this.startRefill();
    return id;
  }

  /** Resolves once no reservation is in flight (it never rejects). */
  async settled(): Promise<void> {
    await this.refill;
  }

  private use(block: Block): void {
    this.current = block;
    this.next = block.start;
  }

  private startRefill(): void {
    if (this.refill) return;
    this.refill = this.reserve()
      .then(
        (block) => {
          this.spare = block;
        },
        (error: unknown) => {
          this.logger.warn({ err: error }, 'cannot reserve ids in NATS; trying again later');
        },
      )
      .finally(() => {
        this.refill = undefined;
      });
  }

  /** Advances the counter by one block with compare-and-set; resolves to the block won. */
  private async reserve(): Promise<Block> {
    for (let attempt = 1; ; attempt++) {
      const entry = await this.kv.get(ID_COUNTER_KEY);
      const exists = entry !== null && entry.operation === 'PUT';
      const start = exists ? parseCounter(entry.string()) : 1;
      const end = start + this.blockSize;
      try {
        if (exists) await this.kv.update(ID_COUNTER_KEY, String(end), entry.revision);
        else await this.kv.create(ID_COUNTER_KEY, String(end));
        return { start, end };
      } catch (error) {
        if (!lostRace(error) || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }
}

function parseCounter(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`the id counter ${ID_COUNTER_KEY} holds ${JSON.stringify(text)}`);
  }
  return value;
}

/** True when a compare-and-set failed because another node changed the key first. */
function lostRace(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence
  );
}

function exhausted(cause: unknown): HeraldError {
  const reason = cause instanceof Error ? ` (${cause.message})` : '';
  return new HeraldError(
    'ServiceUnavailable',
    `Herald cannot reserve ids in NATS right now${reason}; try again later`,
    {},
    cause,
  );
}
