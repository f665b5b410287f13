#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so there is no build step to forget on the server.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const code = await main(process.argv.slice(2));
// Close what is still open (timers, sockets) and exit with the command's code.
process.exit(code);
