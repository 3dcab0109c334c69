// Preloaded with --import: records the URL of every module the process resolves, one a line, in the file named by
// RECORD_MODULES_FILE (the resolve hook runs on Node's loader thread, so it appends to the file).
import { register } from 'node:module';

register('./record-modules-hooks.mjs', import.meta.url);
