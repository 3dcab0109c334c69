import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath, launchPlan } from '../../../src/redis/lifeline.js';
import { tempDir } from '../../helpers/temp-dir.js';

function dirWith(name: string, script: string): string {
  const dir = tempDir('lifeline');
  writeFileSync(join(dir, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(dir, name), 0o755);
  return dir;
}

describe('launchPlan: how the throwaway server is tied to the tool', () => {
  it.runIf(process.platform === 'linux')(
    'uses setpriv --pdeathsig SIGKILL when PATH has a setpriv that knows it',
    () => {
      const dir = dirWith('setpriv', 'echo " --pdeathsig keep|clear|<signame>"');
      expect(launchPlan('redis-server', ['--port', '1'], { PATH: dir })).toEqual({
        command: join(dir, 'setpriv'),
        args: ['--pdeathsig', 'SIGKILL', '--', 'redis-server', '--port', '1'],
        lifeline: 'pdeathsig',
      });
    },
  );

  it('falls back to the watchdog without setpriv, or with one too old for --pdeathsig', () => {
    expect(launchPlan('redis-server', ['--port', '1'], { PATH: '/nonexistent' })).toEqual({
      command: 'redis-server',
      args: ['--port', '1'],
      lifeline: 'watchdog',
    });
    const old = dirWith('setpriv', 'echo " --reuid <uid>"');
    expect(launchPlan('redis-server', [], { PATH: old }).lifeline).toBe('watchdog');
  });

  it('findOnPath finds executables only', () => {
    const dir = dirWith('tool', 'true');
    expect(findOnPath('tool', { PATH: `/nonexistent:${dir}` })).toBe(join(dir, 'tool'));
    expect(findOnPath('missing', { PATH: dir })).toBeNull();
    expect(findOnPath(join(dir, 'tool'), { PATH: '' })).toBe(join(dir, 'tool'));
  });
});
