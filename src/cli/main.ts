#!/usr/bin/env node
import { runCli } from './program.js';

// A reader that stops early (`redis-pool bench --help | head -1`) closes the pipe: the rest of the output has no one
// to read it, which is not an error of the tool (no stack trace); the run still ends with its own exit code.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await runCli(process.argv.slice(2));
