import type { FastifyPluginAsync } from 'fastify';
import type { DeployFunctionInput, HeraldApi } from '../../core/api.js';
import { HeraldError } from '../../errors/index.js';

/** The largest zipped function accepted, as Lambda's direct upload limit. */
export const MAX_ZIP_BYTES = 50 * 1024 * 1024;

/** The request body limit of a deploy: the zip in base64 plus room for the other fields. */
const DEPLOY_BODY_LIMIT = Math.ceil((MAX_ZIP_BYTES * 4) / 3) + 1024 * 1024;

/** The body of `PUT /herald/v1/functions/:name`: the deploy input, with the zip in base64. */
export type DeployFunctionBody = Omit<DeployFunctionInput, 'name' | 'zip'> & {
  zipBase64: string;
};

const deployBodySchema = {
  type: 'object',
  required: ['handler', 'zipBase64'],
  properties: {
    handler: { type: 'string', minLength: 1 },
    runtime: { type: 'string', minLength: 1 },
    timeoutSeconds: { type: 'integer', minimum: 1 },
    memoryMb: { type: 'integer', minimum: 1 },
    reservedConcurrency: { type: 'integer', minimum: 0 },
    environment: { type: 'object', additionalProperties: { type: 'string' } },
    maximumRetryAttempts: { type: 'integer', minimum: 0 },
    zipBase64: { type: 'string', minLength: 1 },
  },
} as const;

interface NameParams {
  name: string;
}

/** Decodes the base64 zip, refusing text that is not base64 and archives over the limit. */
function decodeZip(zipBase64: string): Buffer {
  const zip = Buffer.from(zipBase64, 'base64');
  if (zip.toString('base64') !== zipBase64) {
    throw new HeraldError('InvalidParameterValueException', 'zipBase64 is not valid base64');
  }
  if (zip.length > MAX_ZIP_BYTES) {
    throw new HeraldError(
      'RequestTooLargeException',
      `The function's zip is ${zip.length} bytes; the limit is ${MAX_ZIP_BYTES} bytes`,
    );
  }
  return zip;
}

/** Function routes: deploy (PUT), list, get and remove. */
export const functionRoutes: FastifyPluginAsync<{ herald: HeraldApi }> = async (
  app,
  { herald },
) => {
  app.put<{ Params: NameParams; Body: DeployFunctionBody }>(
    '/functions/:name',
    { bodyLimit: DEPLOY_BODY_LIMIT, schema: { body: deployBodySchema } },
    async (request) => {
      const { zipBase64, ...settings } = request.body;
      const zip = decodeZip(zipBase64);
      return herald.deployFunction({ name: request.params.name, zip, ...settings });
    },
  );

  app.get('/functions', async () => ({ functions: await herald.listFunctions() }));

  app.get<{ Params: NameParams }>('/functions/:name', async (request) =>
    herald.getFunction(request.params.name),
  );

  app.delete<{ Params: NameParams }>('/functions/:name', async (request, reply) => {
    await herald.removeFunction(request.params.name);
    return reply.code(204).send();
  });
};
