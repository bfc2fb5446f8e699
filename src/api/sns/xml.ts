import { XMLBuilder } from 'fast-xml-parser';

/** The XML namespace of every SNS response. */
export const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** The header carrying the RequestId, which the AWS SDKs report as `$metadata.requestId`. */
export const REQUEST_ID_HEADER = 'x-amzn-requestid';

/** The content type SNS answers with. */
export const XML_CONTENT_TYPE = 'text/xml; charset=utf-8';

/** An element's content: text, or child elements by name (an array repeats the element). */
export type XmlContent = string | XmlElement;

/** Child elements by name; an array value repeats the element once per item. */
export interface XmlElement {
  [name: string]: XmlContent | XmlContent[] | undefined;
}

const SPECIAL = /[&<>\r]/;
const SPECIAL_ALL = /[&<>\r]/g;
const REPLACEMENTS: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\r': '&#xD;',
};

/** Escapes text for an XML element body (`\r` too, which parsers would otherwise drop). */
export function escapeXml(text: string): string {
  return SPECIAL.test(text)
    ? text.replace(SPECIAL_ALL, (char) => REPLACEMENTS[char] ?? char)
    : text;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false,
  suppressEmptyNode: false,
  tagValueProcessor: (_name, value) => escapeXml(String(value)),
});

/**
 * A complete SNS response document: `<XxxResponse><XxxResult>…</XxxResult>` followed by the
 * request's `ResponseMetadata`. Actions without output (DeleteTopic, …) pass no result.
 */
export function actionResponse(action: string, requestId: string, result?: XmlElement): string {
  const response: XmlElement = { '@xmlns': SNS_NAMESPACE };
  if (result !== undefined) response[`${action}Result`] = result;
  response.ResponseMetadata = { RequestId: requestId };
  return builder.build({ [`${action}Response`]: response }) as string;
}

/** A string map in SNS's shape: `<entry><key>…</key><value>…</value></entry>` per pair. */
export function attributeEntries(attributes: Record<string, string>): XmlElement {
  return { entry: Object.entries(attributes).map(([key, value]) => ({ key, value })) };
}

/** A list in SNS's shape: one `<member>` per item. */
export function members(items: XmlElement[]): XmlElement {
  return { member: items };
}

/** Builds any document from elements (for error responses). */
export function buildXml(document: XmlElement): string {
  return builder.build(document) as string;
}
