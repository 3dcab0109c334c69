import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
}

/**
 * A throwaway CA and, signed by it, a server certificate for 127.0.0.1 and localhost and a client certificate,
 * made with the openssl CLI (PEM files in `dir`). EC keys: generating them takes milliseconds.
 */
export async function makeCertificates(dir: string): Promise<TestCertificates> {
  const file = (name: string): string => join(dir, name);
  try {
    await run('openssl', ['version']);
  } catch {
    throw new Error('openssl is not on PATH: the TLS tests need it to make their certificates');
  }
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=redis-pool test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await signed(dir, 'server', 'localhost', ['subjectAltName=IP:127.0.0.1,DNS:localhost', 'extendedKeyUsage=serverAuth']);
  await signed(dir, 'client', 'redis-pool test client', ['extendedKeyUsage=clientAuth']);
  return {
    caFile: file('ca.pem'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
    clientCertFile: file('client.pem'),
    clientKeyFile: file('client.key'),
  };
}

async function signed(dir: string, name: string, commonName: string, extensions: string[]): Promise<void> {
  const file = (suffix: string): string => join(dir, `${name}${suffix}`);
  await writeFile(file('.ext'), [...extensions, 'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature'].join('\n'));
  await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', `/CN=${commonName}`, '-keyout', file('.key'), '-out', file('.csr')]);
  await run('openssl', ['x509', '-req', '-in', file('.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'),
    '-set_serial', String(Date.now()), '-days', '2', '-extfile', file('.ext'), '-out', file('.pem')]);
}
