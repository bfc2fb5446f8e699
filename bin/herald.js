#!/usr/bin/env node
// Entry point of the `herald` command. Runs the TypeScript sources through tsx's loader
// so that the command works on a fresh clone without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
