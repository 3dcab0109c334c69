import {
  makeClientCertificate,
  makeServerCertificates,
  type ClientCertificate,
  type ServerCertificates,
} from '../../src/redis/certificates.js';
import { OPENSSL, requireTestTool } from './test-tools.js';

export type TestCertificates = ServerCertificates & ClientCertificate;

/**
 * A throwaway CA and, signed by it, a server certificate for 127.0.0.1 and localhost and a client certificate
 * (PEM files in `dir`), made by the same code as the throwaway server's own (src/redis/certificates.ts).
 */
export async function makeCertificates(dir: string): Promise<TestCertificates> {
  requireTestTool(OPENSSL);
  const server = await makeServerCertificates(dir);
  return { ...server, ...(await makeClientCertificate(dir)) };
}
