// The parsers moved to the shared leaf src/values.ts (scenario files use them too); this keeps old imports working.
export * from '../values.js';
