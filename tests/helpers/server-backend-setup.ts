import { relative } from 'node:path';
import { beforeEach } from 'vitest';
import { FILE_ONLY_TESTS } from '../backends.ts';

/**
 * Setup of the `postgres` project (vitest.config.ts): a test tests/backends.ts lists as about the
 * vault file itself is skipped on the server, with its reason as the skip's note.
 */
beforeEach((context) => {
  const file = relative(process.cwd(), context.task.file.filepath);
  const reason = FILE_ONLY_TESTS[file]?.[context.task.fullTestName];
  if (reason !== undefined) context.skip(`on the vault file only: ${reason}`);
});
