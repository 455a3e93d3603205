#!/usr/bin/env node
// The fivelens CLI: runs the TypeScript sources through tsx (no build step needed).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
