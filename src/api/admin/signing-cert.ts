import type { FastifyPluginAsync } from 'fastify';
import type { HeraldApi } from '../../core/api.js';

/**
 * `GET /signing-cert.pem`: the certificate receivers verify Herald's SNS message
 * signatures with; envelopes name it in SigningCertURL.
 */
export const signingCertRoutes: FastifyPluginAsync<{ herald: HeraldApi }> = async (
  app,
  { herald },
) => {
  app.get('/signing-cert.pem', async (_request, reply) =>
    reply.type('application/x-pem-file').send(herald.signingCertificate()),
  );
};
