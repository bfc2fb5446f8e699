import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';
import type { FunctionPolicyStatement } from '../../domain/function.js';
import { HeraldError } from '../../errors/index.js';
import { functionNameFrom, jsonBody, optionalString, type FunctionParams } from './request.js';

/**
 * AddPermission, RemovePermission and GetPolicy, answered as AWS answers them. The
 * statements are stored with the function (so every node of a cluster shows them, and they
 * survive a restart); Herald does not enforce them.
 */
export const permissionRoutes: FastifyPluginAsync<{ herald: HeraldApi }> = async (
  app,
  { herald },
) => {
  app.post<{ Params: FunctionParams }>(
    '/2015-03-31/functions/:name/policy',
    async (request, reply) => {
      const name = functionNameFrom(request.params.name);
      const { arn, policyStatements = [] } = await herald.getFunction(name);
      const body = jsonBody(request.body);
      const sid = optionalString(body, 'StatementId');
      const action = optionalString(body, 'Action');
      const principal = optionalString(body, 'Principal');
      if (sid === undefined || action === undefined || principal === undefined) {
        throw new HeraldError(
          'InvalidParameterValueException',
          'StatementId, Action and Principal are required',
        );
      }
      if (policyStatements.some((statement) => statement.Sid === sid)) {
        throw new HeraldError(
          'ResourceConflictException',
          `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
        );
      }
      const sourceArn = optionalString(body, 'SourceArn');
      const statement: FunctionPolicyStatement = {
        Sid: sid,
        Effect: 'Allow',
        Principal: principal.includes('.') ? { Service: principal } : { AWS: principal },
        Action: action,
        Resource: arn,
        ...(sourceArn === undefined
          ? {}
          : { Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } } }),
      };
      await herald.updateFunction(name, { policyStatements: [...policyStatements, statement] });
      return reply.code(201).send({ Statement: JSON.stringify(statement) });
    },
  );

  app.delete<{ Params: FunctionParams & { sid: string } }>(
    '/2015-03-31/functions/:name/policy/:sid',
    async (request, reply) => {
      const name = functionNameFrom(request.params.name);
      const { policyStatements = [] } = await herald.getFunction(name);
      const kept = policyStatements.filter((statement) => statement.Sid !== request.params.sid);
      if (kept.length === policyStatements.length) throw noPolicy();
      await herald.updateFunction(name, { policyStatements: kept });
      return reply.code(204).send();
    },
  );

  app.get<{ Params: FunctionParams }>('/2015-03-31/functions/:name/policy', async (request) => {
    const name = functionNameFrom(request.params.name);
    const { policyStatements: statements = [] } = await herald.getFunction(name);
    if (statements.length === 0) throw noPolicy();
    const policy = { Version: '2012-10-17', Id: 'default', Statement: statements };
    return { Policy: JSON.stringify(policy), RevisionId: String(statements.length) };
  });
};

function noPolicy(): HeraldError {
  return new HeraldError('ResourceNotFoundException', 'The resource you requested does not exist.');
}
