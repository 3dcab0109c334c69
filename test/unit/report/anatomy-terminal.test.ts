import { describe, expect, it } from 'vitest';
import type { AnatomyResult } from '../../../src/schema/anatomy.js';
import { renderAnatomyTable } from '../../../src/report/anatomy-terminal.js';
import type { LatencySummary } from '../../../src/schema/bench.js';
import { colourStyle } from '../../../src/report/style.js';

const ANSI = /\u001b\[/;

function latency(p50: number, p99: number, mean: number, count = 50): LatencySummary {
  return { unit: 'ms', count, mean, p50, p90: p99, p99, p999: p99, max: p99, hdr: '' };
}

/**
 * A TLS target with a password and no db: dns and select are skipped. Means add up to the total's 2.5 ms. A Valkey,
 * whose redis_version (7.2.4) is not its own version.
 */
const result: AnatomyResult = {
  schema: 'redis-pool.anatomy/v1',
  tool: { name: 'redis-pool', version: '0.1.0' },
  startedAt: '2026-01-01T00:00:00.000Z',
  target: {
    url: 'rediss://:***@10.0.0.5:6380/0',
    mode: 'external',
    redisVersion: '7.2.4',
    server: { name: 'valkey', version: '8.0.1' },
    tls: true,
  },
  samples: 50,
  phases: [
    { phase: 'dns', skipped: true, latency: null },
    { phase: 'tcp', skipped: false, latency: latency(0.5, 0.9, 0.5) },
    { phase: 'tls', skipped: false, latency: latency(1.2, 2.1, 1.25) },
    { phase: 'auth', skipped: false, latency: latency(0.25, 0.4, 0.25) },
    { phase: 'select', skipped: true, latency: null },
    { phase: 'ready-check', skipped: false, latency: latency(0.3, 0.6, 0.3) },
    { phase: 'first-command', skipped: false, latency: latency(0.2, 0.3, 0.2) },
  ],
  total: latency(2.6, 4.1, 2.5),
  openConnectionPing: latency(0.2, 0.35, 0.21),
  warnings: [],
};

function row(text: string, name: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`│ ${name} `));
  if (line === undefined) throw new Error(`no row ${name} in\n${text}`);
  return line
    .split('│')
    .map((cell) => cell.trim())
    .filter((cell) => cell !== '')
    .join(' | ');
}

describe('anatomy table', () => {
  const text = renderAnatomyTable(result);

  it('says what was measured, where: the server by its own name and version', () => {
    expect(text.split('\n')[0]).toBe(
      'Valkey 8.0.1 at rediss://:***@10.0.0.5:6380/0 (external, TLS): 50 connections opened one after another',
    );
  });

  it('has one row per phase with p50, p99, mean and the share of the total mean', () => {
    expect(row(text, 'tcp')).toBe('tcp | TCP handshake: SYN, SYN-ACK, ACK | 0.5 ms | 0.9 ms | 0.5 ms | 20 %');
    expect(row(text, 'tls')).toBe('tls | TLS handshake: certificates, keys | 1.2 ms | 2.1 ms | 1.25 ms | 50 %');
    expect(row(text, 'auth')).toBe('auth | AUTH: user and password checked | 0.25 ms | 0.4 ms | 0.25 ms | 10 %');
    expect(row(text, 'ready-check')).toContain('| 0.3 ms | 0.6 ms | 0.3 ms | 12 %');
    expect(row(text, 'first-command')).toContain('| 8 %');
    expect(row(text, 'total')).toBe('total | lookup to the first reply | 2.6 ms | 4.1 ms | 2.5 ms | 100 %');
    expect(row(text, 'open connection')).toBe(
      'open connection | PING on a connection kept open | 0.2 ms | 0.35 ms | 0.21 ms',
    );
  });

  it('lists skipped phases with the reason and no numbers', () => {
    expect(row(text, 'dns')).toBe('dns | host name → address (dns.lookup) | – | – | – | skipped: IP address');
    expect(row(text, 'select')).toBe("select | SELECT the URL's database | – | – | – | skipped: db 0");
  });

  it('keeps the phases in the order a client takes them', () => {
    const order = ['dns', 'tcp', 'tls', 'auth', 'select', 'ready-check', 'first-command', 'total', 'open connection'];
    const positions = order.map((name) => text.indexOf(`│ ${name} `));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('compares the total with a PING on an open connection', () => {
    expect(text).toContain('Total p50 2.6 ms: a new connection costs 13× a PING on an open one (0.2 ms).');
    const closer = { ...result, total: latency(0.5, 1, 0.5), openConnectionPing: latency(0.2, 0.3, 0.2) };
    expect(renderAnatomyTable(closer)).toContain('a new connection costs 2.5× a PING on an open one');
  });

  it('prints warnings with their remedy', () => {
    const warned = {
      ...result,
      warnings: [{ code: 'loopback-target', message: 'the server is on this machine', remedy: 'use --url' }],
    };
    expect(renderAnatomyTable(warned)).toMatch(/warning: the server is on this machine\. Fix: use --url\.$/);
  });

  it('colours only when asked to', () => {
    expect(text).not.toMatch(ANSI);
    expect(renderAnatomyTable(result, colourStyle(true))).toMatch(ANSI);
  });
});
