import { isUtf8 } from 'node:buffer';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { HeraldApi } from '../../core/api.js';
import { HeraldError } from '../../errors/index.js';
import { callerOf, LINK_ACTIONS } from '../auth/index.js';
import { authorizeTopicAction } from './topic-authorization.js';
import type { ActionHandler, ActionRequest } from './action.js';
import { confirmationActions } from './confirm-subscription.js';
import { dataProtectionActions } from './data-protection.js';
import { decodeForm, type Params } from './form.js';
import { permissionActions } from './permissions.js';
import { publishActions } from './publish.js';
import { subscriptionActions } from './subscriptions.js';
import { tagActions } from './tags.js';
import { topicActions } from './topics.js';
import { unsupportedActions } from './unsupported.js';
import { REQUEST_ID_HEADER, XML_CONTENT_TYPE } from './xml.js';

/** What the SNS query API plugin needs. */
export interface SnsApiOptions {
  herald: HeraldApi;
  /** True when requests must be signed: unsigned ones may then only follow SNS links. */
  authRequired: boolean;
  /** Herald's account: callers of other accounts reach topics only as policies allow. */
  accountId: string;
}

/** Every SNS action Herald answers, by its `Action` name. */
const ACTIONS: Record<string, ActionHandler> = {
  ...topicActions,
  ...subscriptionActions,
  ...confirmationActions,
  ...publishActions,
  ...tagActions,
  ...permissionActions,
  ...dataProtectionActions,
  ...unsupportedActions,
};

/**
 * The SNS query-protocol API on `/`: form-encoded POSTs (or GETs with a query string) carrying
 * `Action=…`, answered with SNS's XML documents. Errors are thrown as {@link HeraldError} and
 * rendered by the app's central error handler.
 */
export const snsApi: FastifyPluginAsync<SnsApiOptions> = async (app, options) => {
  const { herald } = options;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (_request, body: Buffer, done) => {
      if (!isUtf8(body)) {
        done(new HeraldError('MalformedQueryString', 'The request body is not valid UTF-8'));
        return;
      }
      try {
        done(null, decodeForm(body.toString('utf8')));
      } catch (error) {
        done(error as Error);
      }
    },
  );

  const answer = async (request: FastifyRequest, reply: FastifyReply): Promise<string> => {
    void reply.header('content-type', XML_CONTENT_TYPE).header(REQUEST_ID_HEADER, request.id);

    const params = (request.body as Params | undefined) ?? queryParams(request.url);
    const handler = handlerOf(params.Action);
    const caller = callerOf(request);
    if (options.authRequired && caller === undefined) requireLinkAction(params.Action);
    const actionRequest = { herald, params, requestId: request.id, caller };
    if (caller !== undefined && caller.accountId !== options.accountId) {
      await authorizeOtherAccount(actionRequest);
    }
    return handler(actionRequest);
  };
  app.post('/', answer);
  app.get('/', answer);
};

/** Actions on one topic that its policy decides for callers of other accounts. */
const TOPIC_POLICY_ACTIONS = new Set([
  'GetTopicAttributes',
  'SetTopicAttributes',
  'AddPermission',
  'RemovePermission',
  'DeleteTopic',
  'ListSubscriptionsByTopic',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'GetDataProtectionPolicy',
  'PutDataProtectionPolicy',
]);

/** Actions whose handlers weigh the topic policy themselves. */
const SELF_AUTHORIZING_ACTIONS = new Set(['Publish', 'PublishBatch', 'Subscribe']);

/**
 * A caller of another account may act on a topic only as the topic's policy allows (the
 * default policy allows the owner account alone), and may not use account-wide actions
 * (CreateTopic, ListTopics, subscription management) of Herald's account at all.
 */
async function authorizeOtherAccount(request: ActionRequest): Promise<void> {
  const action = request.params.Action ?? '';
  if (SELF_AUTHORIZING_ACTIONS.has(action)) return;

  const topicArn = request.params.TopicArn ?? request.params.ResourceArn;
  if (TOPIC_POLICY_ACTIONS.has(action) && topicArn !== undefined) {
    await authorizeTopicAction(request, topicArn, action);
    return;
  }
  throw new HeraldError(
    'AuthorizationError',
    `User: ${request.caller?.accountId ?? 'unknown'} is not authorized to perform: SNS:${action}`,
  );
}

/** An unsigned request that got past access control must be a link's action, nothing else. */
function requireLinkAction(action: string | undefined): void {
  if (action !== undefined && LINK_ACTIONS.has(action)) return;
  throw new HeraldError('MissingAuthenticationToken', 'Request is missing Authentication Token');
}

/** The handler of an `Action`; a missing or unknown action is the client's error. */
function handlerOf(action: string | undefined): ActionHandler {
  if (action === undefined) {
    throw new HeraldError('MissingParameter', 'The request must contain the parameter Action', {
      parameter: 'Action',
    });
  }

  const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (handler === undefined) {
    throw new HeraldError(
      'InvalidAction',
      `The action ${action} is not valid for this web service.`,
    );
  }
  return handler;
}

/** The parameters of a GET (or bodiless POST): its query string. */
function queryParams(url: string): Params {
  const start = url.indexOf('?');
  return decodeForm(start === -1 ? '' : url.slice(start + 1));
}
