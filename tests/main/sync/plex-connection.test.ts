import { describe, expect, it } from 'vitest';
import { serverMismatch } from '../../../main/sync/plex-connection.js';

describe('serverMismatch', () => {
  const server = { name: 'Home', url: 'http://plex:32400', machineIdentifier: 'abc' };

  it('accepts the catalogued server and one whose identifier was never learnt', () => {
    expect(serverMismatch(server, { machineIdentifier: 'abc' })).toBeNull();
    expect(serverMismatch({ ...server, machineIdentifier: null }, { machineIdentifier: 'xyz' })).toBeNull();
  });

  it('refuses another server at the same address, naming both', () => {
    expect(serverMismatch(server, { machineIdentifier: 'xyz' })).toMatch(/another Plex server \("xyz"\).*"Home" \("abc"\)/);
  });
});
