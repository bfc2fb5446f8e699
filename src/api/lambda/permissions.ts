import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';
import { HeraldError } from '../../errors/index.js';
import { functionNameFrom, jsonBody, optionalString, type FunctionParams } from './request.js';

/** A statement of a function's resource policy, as AddPermission builds it. */
interface Statement {
  Sid: string;
  Effect: 'Allow';
  Principal: unknown;
  Action: string;
  Resource: string;
  Condition?: unknown;
}

/**
 * AddPermission, RemovePermission and GetPolicy, answered as AWS answers them. Herald does
 * not enforce resource policies: statements are kept in memory so GetPolicy shows them.
 */
export const permissionRoutes: FastifyPluginAsync<{ herald: HeraldApi }> = async (
  app,
  { herald },
) => {
  const policies = new Map<string, Map<string, Statement>>();

  app.post<{ Params: FunctionParams }>(
    '/2015-03-31/functions/:name/policy',
    async (request, reply) => {
      const name = functionNameFrom(request.params.name);
      const { arn } = await herald.getFunction(name);
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
      const statements = policies.get(name) ?? new Map<string, Statement>();
      if (statements.has(sid)) {
        throw new HeraldError(
          'ResourceConflictException',
          `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
        );
      }
      const sourceArn = optionalString(body, 'SourceArn');
      const statement: Statement = {
        Sid: sid,
        Effect: 'Allow',
        Principal: principal.includes('.') ? { Service: principal } : { AWS: principal },
        Action: action,
        Resource: arn,
        ...(sourceArn === undefined
          ? {}
          : { Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } } }),
      };
      statements.set(sid, statement);
      policies.set(name, statements);
      return reply.code(201).send({ Statement: JSON.stringify(statement) });
    },
  );

  app.delete<{ Params: FunctionParams & { sid: string } }>(
    '/2015-03-31/functions/:name/policy/:sid',
    async (request, reply) => {
      const name = functionNameFrom(request.params.name);
      await herald.getFunction(name);
      if (!policies.get(name)?.delete(request.params.sid)) throw noPolicy();
      return reply.code(204).send();
    },
  );

  app.get<{ Params: FunctionParams }>('/2015-03-31/functions/:name/policy', async (request) => {
    const name = functionNameFrom(request.params.name);
    await herald.getFunction(name);
    const statements = [...(policies.get(name)?.values() ?? [])];
    if (statements.length === 0) throw noPolicy();
    const policy = { Version: '2012-10-17', Id: 'default', Statement: statements };
    return { Policy: JSON.stringify(policy), RevisionId: String(statements.length) };
  });
};

function noPolicy(): HeraldError {
  return new HeraldError('ResourceNotFoundException', 'The resource you requested does not exist.');
}
