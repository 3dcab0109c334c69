/** Node's TLS errors (any client's: our raw sockets in anatomy, ioredis in bench) explained in one line with the flag that fixes them. */

const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** Any client's TLS failure (Node's error codes) in one line with the flag to fix it; null when it is not about TLS. */
export function describeTlsFailure(error: Error): string | null {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const aboutTls = code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || UNTRUSTED_CERTIFICATE.has(code);
  return aboutTls ? describeTlsError(code, opensslReason(error.message)) : null;
}

/**
 * The server answered in TLS (it sent a certificate or an alert), so the port does serve TLS and the failure is
 * about certificates, not about the wrong port.
 */
export function serverSpokeTls(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return UNTRUSTED_CERTIFICATE.has(code) || code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /alert/i.test(error.message);
}

/** OpenSSL's "…:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:file.c:1601:…" → its reason. */
export function opensslReason(message: string): string {
  return /:SSL routines:[^:]*:([^:]+):/.exec(message)?.[1] ?? message;
}

export function describeTlsError(code: string, message: string): string {
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return `TLS handshake failed: the server's certificate is not trusted (${message}); pass its CA with --tls-ca, or skip the check with --tls-insecure`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `TLS handshake failed: the certificate does not name this host (${message}); use a host name it lists, or --tls-insecure`;
  }
  if (/certificate required/i.test(message)) {
    return `TLS: the server requires a client certificate (${message}); pass it with --tls-cert and --tls-key`;
  }
  return `TLS handshake failed (${message}); is the port serving TLS? check --tls-ca, --tls-cert and --tls-key`;
}
