// Vitest's setup file of the project `valkey` (vitest.config.ts): before each of its files, valkey-server and
// valkey-cli must be there, or the file fails with one message naming the Debian packages, instead of skipping or
// failing further on with the tool's own message.
import { requireServerBinary } from './server-binary.js';

requireServerBinary(undefined, { cli: true });
