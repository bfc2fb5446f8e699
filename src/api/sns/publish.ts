import type { PublishBatchEntry, PublishBatchResult } from '../../core/api.js';
import { checkBatchCount, checkBatchEntryId } from '../../core/batch-entries.js';
import { HeraldError, invalidParameter } from '../../errors/index.js';
import type { ActionHandler } from './action.js';
import {
  indexedGroups,
  missingParameter,
  requireParam,
  type IndexedGroup,
  type Params,
} from './form.js';
import { decodeMessage } from './message-input.js';
import { authorizeTopicAction } from './topic-authorization.js';
import { SNS_NAMESPACE, actionResponse, escapeXml, members } from './xml.js';

/**
 * Publish, on the hot path: decode, hand to Herald, answer from a small template. Takes
 * `TopicArn` or `TargetArn`; `PhoneNumber` (SMS) is refused as unsupported.
 */
const publish: ActionHandler = async (request) => {
  const { herald, params, requestId } = request;
  const topicArn = publishTarget(params);
  await authorizeTopicAction(request, topicArn, 'Publish');

  const input = decodeMessage(params);
  const { messageId, sequenceNumber } = await herald.publish({ topicArn, ...input });
  const sequence =
    sequenceNumber === undefined ? '' : `<SequenceNumber>${sequenceNumber}</SequenceNumber>`;

  return (
    `<PublishResponse xmlns="${SNS_NAMESPACE}"><PublishResult><MessageId>` +
    `${escapeXml(messageId)}</MessageId>${sequence}</PublishResult><ResponseMetadata>` +
    `<RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`
  );
};

/**
 * PublishBatch: up to ten entries. Request-level problems (no entries, too many, repeated or
 * malformed ids, attributes, and in the publisher the total size) fail the whole call as in
 * SNS; an entry whose message is invalid is reported in `Failed` while the others are
 * published.
 */
const publishBatch: ActionHandler = async (request) => {
  const { herald, params, requestId } = request;
  const topicArn = requireParam(params, 'TopicArn');
  await authorizeTopicAction(request, topicArn, 'Publish');
  const groups = indexedGroups(params, 'PublishBatchRequestEntries.member');
  const batch = identifiedEntries(groups);

  const entries: PublishBatchEntry[] = [];
  const rejected: PublishBatchResult['failed'] = [];
  for (const { id, params: entry } of batch) {
    try {
      entries.push({ id, ...decodeMessage(entry) });
    } catch (error) {
      if (!(error instanceof HeraldError) || error.code !== 'InvalidParameter') throw error;
      rejected.push({ id, code: error.code, message: error.message, senderFault: true });
    }
  }

  const result =
    entries.length > 0
      ? await herald.publishBatch(topicArn, entries)
      : { successful: [], failed: [] };
  const failed = [...result.failed, ...rejected];
  return actionResponse('PublishBatch', requestId, {
    Successful: members(
      result.successful.map((s) => ({
        Id: s.id,
        MessageId: s.messageId,
        ...(s.sequenceNumber === undefined ? {} : { SequenceNumber: s.sequenceNumber }),
      })),
    ),
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

/**
 * The topic a Publish goes to: `TopicArn`, or `TargetArn` naming a topic. Exactly one of
 * `TopicArn`, `TargetArn` and `PhoneNumber` must be given; SMS and mobile-push endpoints are
 * refused as SNS refuses a target it cannot find.
 */
function publishTarget(params: Params): string {
  const given = [params.TopicArn, params.TargetArn, params.PhoneNumber].filter(
    (value) => value !== undefined,
  );
  if (given.length > 1) {
    throw invalidParameter(
      'TopicArn or TargetArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be given',
      { parameter: 'TopicArn' },
    );
  }
  if (params.PhoneNumber !== undefined) {
    throw invalidParameter(
      'PhoneNumber Reason: Herald does not support SMS / mobile push: Publish to a phone number',
      { parameter: 'PhoneNumber' },
    );
  }

  const topicArn = params.TopicArn ?? params.TargetArn;
  if (topicArn === undefined) {
    throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter', {
      parameter: 'TopicArn',
    });
  }
  if (params.TargetArn !== undefined && /^arn:aws:sns:[^:]*:\d{12}:endpoint\//.test(topicArn)) {
    throw invalidParameter('TargetArn Reason: No endpoint found for the target arn specified', {
      parameter: 'TargetArn',
    });
  }
  return topicArn;
}

/** The batch's entries with their ids, once its size and ids are checked as SNS checks them. */
function identifiedEntries(groups: IndexedGroup[]): Array<{ id: string; params: Params }> {
  checkBatchCount(groups.length);
  const seen = new Set<string>();
  return groups.map(({ index, params: entry }) => {
    const id = entry.Id;
    if (id === undefined) throw missingParameter(`PublishBatchRequestEntries.member.${index}.Id`);
    checkBatchEntryId(id, seen);
    return { id, params: entry };
  });
}

/** The publishing actions by their `Action` name. */
export const publishActions: Record<string, ActionHandler> = {
  Publish: publish,
  PublishBatch: publishBatch,
};
