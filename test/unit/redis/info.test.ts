import { describe, expect, it } from 'vitest';
import { infoNumber, parseInfo } from '../../../src/redis/info.js';

describe('INFO parsing', () => {
  it('reads fields across sections and ignores headers', () => {
    const fields = parseInfo(
      '# Clients\r\nconnected_clients:7\r\nmaxclients:10000\r\n\r\n# Stats\r\ntotal_connections_received:1234\r\n',
    );
    expect(infoNumber(fields, 'connected_clients')).toBe(7);
    expect(infoNumber(fields, 'total_connections_received')).toBe(1234);
    expect(infoNumber(fields, 'missing')).toBe(0);
  });
});
