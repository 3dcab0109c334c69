// Types of examples.mjs, for the test that imports it (test/unit/docs-examples.test.ts).

export interface Example {
  head: number | null;
  grep: string | null;
  setup: 'server' | 'client-groups' | null;
  exit: number;
  command: string;
}

export interface FoundExample extends Example {
  file: string;
  /** The marker's line, from 1. */
  line: number;
  /** The content's lines, from 0: [start, end). */
  start: number;
  end: number;
  content: string;
}

export const root: string;
export function findExamples(text: string, file?: string): FoundExample[];
export function parseMarker(marker: string, where?: string): Example;
export function subcommands(example: Example): string[];
export function needsServer(example: Example): boolean;
export function excerpt(example: Example, stdout: string): string[];
export function renderBlock(example: Example, stdout: string): string;
export function rewrite(text: string, examples: FoundExample[], blocks: Map<FoundExample, string>): string;
export function tableHeaders(text: string): string[];
export function exampleEnvironment(bin: string, redisUrl?: string | null): NodeJS.ProcessEnv;
export function runExample(example: FoundExample, dir: string, options?: { timeoutMs?: number }): Promise<string>;
