import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EngineSupervisor, type EngineProcess, type SupervisorState } from './engineSupervisor';

/** A real child process that crashes after `ms` (exit code 3). */
function crashingEngine(ms: number): EngineProcess {
  const child = spawn(process.execPath, ['-e', `setTimeout(() => process.exit(3), ${ms})`], {
    stdio: 'ignore',
  });
  return {
    onExit: (l) => child.once('exit', (code) => l(code)),
    kill: () => child.kill(),
  };
}

describe('EngineSupervisor', () => {
  it('restarts a crashing engine with doubling back-off and reports each crash', async () => {
    const states: SupervisorState[] = [];
    const sup = new EngineSupervisor({
      spawn: () => crashingEngine(50),
      onState: (s) => states.push(s),
      initialBackoffMs: 40,
      maxBackoffMs: 160,
    });
    sup.start();
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (states.filter((s) => s.state === 'restarting').length >= 4) {
          clearInterval(t);
          resolve();
        }
      }, 20);
    });
    sup.stop();
    const restarts = states.filter((s) => s.state === 'restarting') as Extract<
      SupervisorState,
      { state: 'restarting' }
    >[];
    expect(restarts.slice(0, 4).map((r) => r.inMs)).toEqual([40, 80, 160, 160]);
    expect(restarts[0]!.lastExitCode).toBe(3);
    expect(states.at(-1)!.state).toBe('stopped');
  });

  it('does not restart after stop()', async () => {
    const states: SupervisorState[] = [];
    const sup = new EngineSupervisor({
      spawn: () => crashingEngine(5_000),
      onState: (s) => states.push(s),
      initialBackoffMs: 10,
    });
    sup.start();
    sup.stop();
    await new Promise((r) => setTimeout(r, 200));
    expect(states.map((s) => s.state)).toEqual(['starting', 'running', 'stopped']);
  });
});
