import { describe, expect, it } from 'vitest';
import { ConformanceError, check, fail, runChecks } from './conformance-check.js';

describe('runChecks', () => {
  it('collects the message of every failing check per backend and skips what does not apply', async () => {
    const ran: string[] = [];
    const findings = await runChecks(
      () => [
        { name: 'passes', run: () => void ran.push('passes') },
        { name: 'fails', run: () => fail('what is wrong') },
        { name: 'rejects', run: async () => Promise.reject(new Error('async failure')) },
        { name: 'skipped', skip: 'does not apply', run: () => void ran.push('skipped') },
      ],
      ['cpu'],
    );
    expect(ran).toEqual(['passes']);
    expect(findings).toEqual([
      { check: 'fails', backend: 'cpu', message: 'what is wrong' },
      { check: 'rejects', backend: 'cpu', message: 'async failure' },
    ]);
  });

  it('check throws a ConformanceError with a lazily built message only when the condition fails', () => {
    let built = 0;
    const message = () => {
      built++;
      return 'bad';
    };
    expect(() => check(true, message)).not.toThrow();
    expect(built).toBe(0);
    expect(() => check(false, message)).toThrowError(ConformanceError);
    expect(built).toBe(1);
  });
});
