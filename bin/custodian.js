#!/usr/bin/env node
// The `custodian` CLI runs the TypeScript core directly through tsx, so what the tests exercise
// is exactly what people run; no build step stands between a fresh clone and a working command.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
