import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run.ts';
import { capturingIo } from '../helpers/cli.ts';

describe('the CLI refuses an argument that is not well-formed Unicode', () => {
  it('with a usage error that says so, before anything runs', async () => {
    for (const args of [
      ['reveal', 'team.vault', 'x:NorfolkPolice', '--reason', 'broken \ud83d end'],
      ['person', 'add', 'team.vault', '--name', 'Kay \udc00'],
    ]) {
      const { io, stderr } = capturingIo();
      expect(await runCli(args, io)).toEqual({ code: 1, failure: 'usage' });
      expect(stderr()).toMatch(/not well-formed Unicode.*U\+D[89A-F]/);
    }
  });
});
