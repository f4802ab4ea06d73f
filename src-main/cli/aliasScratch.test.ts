import { expect, it } from 'vitest';
import { PARTS } from '#shared/pose/skeleton';
import * as formats from '#shared/pose/formats/index';
import { command as posesCommand } from '#main/cli/commands/poses';

it('resolves subpath-import aliases under vitest', () => {
  expect(Object.keys(PARTS).length).toBeGreaterThan(0);
  expect(Object.keys(formats).length).toBeGreaterThan(0);
  expect(posesCommand).toBeDefined();
});
