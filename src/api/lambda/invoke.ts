import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';
import { HeraldError } from '../../errors/index.js';
import { functionNameFrom, type FunctionParams } from './request.js';

/** Lambda's payload limit of a RequestResponse invocation. */
const SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Lambda's payload limit of an Event invocation. */
const EVENT_PAYLOAD_BYTES = 256 * 1024;

interface InvokeRoute {
  Params: FunctionParams;
  Querystring: { Qualifier?: string };
}

/**
 * Invoke: `X-Amz-Invocation-Type` RequestResponse (the default: the result, or the error
 * payload with `X-Amz-Function-Error: Unhandled`), Event (202, run later with retries) or
 * DryRun (204). `X-Amz-Log-Type: Tail` adds the log tail in `X-Amz-Log-Result`.
 */
export const invokeRoutes: FastifyPluginAsync<{ herald: HeraldApi }> = async (app, { herald }) => {
  app.post<InvokeRoute>(
    '/2015-03-31/functions/:name/invocations',
    { bodyLimit: SYNC_PAYLOAD_BYTES },
    async (request, reply) => {
      const name = functionNameFrom(request.params.name, request.query.Qualifier);
      const payload = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
      const type = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
      void reply.header('X-Amz-Executed-Version', '$LATEST');

      if (type === 'DryRun') {
        await herald.dryRunInvoke(name, payload);
        return reply.code(204).send();
      }
      if (type === 'Event') {
        if (Buffer.byteLength(payload) > EVENT_PAYLOAD_BYTES) {
          throw new HeraldError(
            'RequestTooLargeException',
            `Request must be smaller than ${EVENT_PAYLOAD_BYTES} bytes for the Event invocation type`,
          );
        }
        const { requestId } = await herald.invokeFunctionAsync(name, payload);
        return reply.code(202).header('x-amzn-RequestId', requestId).send();
      }
      if (type !== 'RequestResponse') {
        throw new HeraldError(
          'InvalidParameterValueException',
          `Invalid InvocationType ${String(type)}: use RequestResponse, Event or DryRun`,
        );
      }

      const tail = request.headers['x-amz-log-type'] === 'Tail';
      const result = await herald.invokeFunction(name, payload, { tail });
      void reply.header('x-amzn-RequestId', result.requestId).type('application/json');
      if (result.functionError) void reply.header('X-Amz-Function-Error', result.functionError);
      if (result.logResult !== undefined) void reply.header('X-Amz-Log-Result', result.logResult);
      return reply.code(200).send(result.payload);
    },
  );
};
