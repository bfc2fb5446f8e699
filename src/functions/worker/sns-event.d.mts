import type { SNSEventRecord, SNSMessage } from 'aws-lambda';

/**
 * An SNS notification as SNS hands it to Lambda. Unlike `@types/aws-lambda`'s `SNSMessage`,
 * `Subject` is `null` when the message has none: that is what SNS sends.
 */
export type SnsNotification = Omit<SNSMessage, 'Subject' | 'Token'> & { Subject: string | null };

/** One record of an SNS event. */
export type SnsEventRecord = Omit<SNSEventRecord, 'Sns'> & { Sns: SnsNotification };

/** The event an SNS-triggered function receives: always exactly one record. */
export interface SnsEvent {
  Records: [SnsEventRecord];
}

/** One delivery's fields, flat: what travels to a worker to become an {@link SnsEvent}. */
export interface SnsDelivery {
  subscriptionArn: string;
  messageId: string;
  topicArn: string;
  subject: string | null;
  message: string;
  /** ISO 8601 with milliseconds. */
  timestamp: string;
  unsubscribeUrl: string;
  messageAttributes: SNSMessage['MessageAttributes'];
}

export declare const UNSIGNED_SIGNATURE: string;
export declare const UNSIGNED_CERT_URL: string;
export declare function snsEventOf(delivery: SnsDelivery): SnsEvent;
