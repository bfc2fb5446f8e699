import type { PublishBatchEntry, PublishBatchResult } from '../../core/api.js';
import { HeraldError, invalidParameter } from '../../errors/index.js';
import type { ActionHandler } from './action.js';
import { indexedGroups, missingParameter, requireParam, type IndexedGroup } from './form.js';
import { decodeMessage } from './message-input.js';
import { SNS_NAMESPACE, actionResponse, escapeXml, members } from './xml.js';

const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * Publish, on the hot path: decode, hand to Herald, answer from a small template. Takes
 * `TopicArn` or `TargetArn`; `PhoneNumber` (SMS) is refused as unsupported.
 */
const publish: ActionHandler = async ({ herald, params, requestId, maxMessageBytes }) => {
  if (params.PhoneNumber !== undefined) {
    throw invalidParameter('PhoneNumber Reason: SMS delivery is not supported by Herald', {
      parameter: 'PhoneNumber',
    });
  }
  const topicArn = params.TopicArn ?? params.TargetArn;
  if (topicArn === undefined) {
    throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter', {
      parameter: 'TopicArn',
    });
  }

  const { input } = decodeMessage(params, maxMessageBytes);
  const { messageId } = await herald.publish({ topicArn, ...input });

  return (
    `<PublishResponse xmlns="${SNS_NAMESPACE}"><PublishResult><MessageId>` +
    `${escapeXml(messageId)}</MessageId></PublishResult><ResponseMetadata><RequestId>` +
    `${requestId}</RequestId></ResponseMetadata></PublishResponse>`
  );
};

/**
 * PublishBatch: up to ten entries. Request-level problems (no entries, too many, repeated or
 * malformed ids, attributes, total size) fail the whole call as in SNS; an entry whose message
 * is invalid is reported in `Failed` while the others are published.
 */
const publishBatch: ActionHandler = async ({ herald, params, requestId, maxMessageBytes }) => {
  const topicArn = requireParam(params, 'TopicArn');
  const groups = indexedGroups(params, 'PublishBatchRequestEntries.member');
  checkBatchShape(groups);

  const entries: PublishBatchEntry[] = [];
  const rejected: PublishBatchResult['failed'] = [];
  let totalBytes = 0;
  for (const { params: entry } of groups) {
    const id = entry.Id as string;
    try {
      const { input, bytes } = decodeMessage(entry, Number.POSITIVE_INFINITY);
      entries.push({ id, ...input });
      totalBytes += bytes;
    } catch (error) {
      if (!(error instanceof HeraldError) || error.code !== 'InvalidParameter') throw error;
      rejected.push({ id, code: error.code, message: error.message, senderFault: true });
    }
  }
  if (totalBytes > maxMessageBytes) {
    throw new HeraldError(
      'BatchRequestTooLong',
      'The length of all the messages put together is more than the limit.',
    );
  }

  const result =
    entries.length > 0
      ? await herald.publishBatch(topicArn, entries)
      : { successful: [], failed: [] };
  const failed = [...result.failed, ...rejected];
  return actionResponse('PublishBatch', requestId, {
    Successful: members(result.successful.map((s) => ({ Id: s.id, MessageId: s.messageId }))),
    Failed: members(
      failed.map((f) => ({
        Id: f.id,
        Code: f.code,
        Message: f.message,
        SenderFault: String(f.senderFault),
      })),
    ),
  });
};

function checkBatchShape(groups: IndexedGroup[]): void {
  if (groups.length === 0) {
    throw new HeraldError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
  }
  if (groups.length > MAX_BATCH_ENTRIES) {
    throw new HeraldError(
      'TooManyEntriesInBatchRequest',
      'The batch request contains more entries than permissible.',
    );
  }

  const ids = new Set<string>();
  for (const { index, params: entry } of groups) {
    const id = entry.Id;
    if (id === undefined) throw missingParameter(`PublishBatchRequestEntries.member.${index}.Id`);
    if (!BATCH_ENTRY_ID.test(id)) {
      throw new HeraldError(
        'InvalidBatchEntryId',
        `The Id of a batch entry in a batch request doesn't abide by the specification: ${id}. ` +
          'Ids may contain only alphanumeric characters, hyphens and underscores, up to 80.',
      );
    }
    if (ids.has(id)) {
      throw new HeraldError(
        'BatchEntryIdsNotDistinct',
        'Two or more batch entries in the request have the same Id.',
      );
    }
    ids.add(id);
  }
}

/** The publishing actions by their `Action` name. */
export const publishActions: Record<string, ActionHandler> = {
  Publish: publish,
  PublishBatch: publishBatch,
};
