import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TargetError } from '../errors.js';

const run = promisify(execFile);

/** PEM files of a CA made for one run and of the server certificate it signed. */
export interface ServerCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** PEM files of a client certificate signed by the CA of makeServerCertificates() in the same folder. */
export interface ClientCertificate {
  clientCertFile: string;
  clientKeyFile: string;
}

/** The throwaway server cannot serve TLS on this machine: no openssl to make its certificate, or a redis-server without TLS. */
export class TlsUnavailableError extends TargetError {}

/**
 * A throwaway CA and, signed by it, a server certificate for 127.0.0.1 and localhost, made with the openssl CLI
 * (PEM files in `dir`, the CA's key included, for makeClientCertificate()). EC keys: making them takes milliseconds.
 */
export async function makeServerCertificates(dir: string): Promise<ServerCertificates> {
  const file = (name: string): string => join(dir, name);
  try {
    await run('openssl', ['version']);
  } catch {
    throw new TlsUnavailableError(
      'openssl is not on PATH to make a certificate for the run (Debian/Ubuntu: sudo apt-get install openssl)',
    );
  }
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=redis-pool throwaway CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await signed(dir, 'server', 'localhost', [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    'extendedKeyUsage=serverAuth',
  ]);
  return { caFile: file('ca.pem'), certFile: file('server.pem'), keyFile: file('server.key') };
}

/** A client certificate signed by the CA that makeServerCertificates() made in `dir`, for mutual TLS. */
export async function makeClientCertificate(dir: string): Promise<ClientCertificate> {
  await signed(dir, 'client', 'redis-pool client', ['extendedKeyUsage=clientAuth']);
  return { clientCertFile: join(dir, 'client.pem'), clientKeyFile: join(dir, 'client.key') };
}

async function signed(dir: string, name: string, commonName: string, extensions: string[]): Promise<void> {
  const file = (suffix: string): string => join(dir, `${name}${suffix}`);
  await writeFile(
    file('.ext'),
    [...extensions, 'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature'].join('\n'),
  );
  await run('openssl', [
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    `/CN=${commonName}`,
    '-keyout',
    file('.key'),
    '-out',
    file('.csr'),
  ]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file('.csr'),
    '-CA',
    join(dir, 'ca.pem'),
    '-CAkey',
    join(dir, 'ca.key'),
    '-set_serial',
    String(Date.now()),
    '-days',
    '2',
    '-extfile',
    file('.ext'),
    '-out',
    file('.pem'),
  ]);
}
