#!/usr/bin/env node
// `mbo` entry point: runs the TypeScript CLI through tsx, so `npx mbo` works in a checkout with no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
