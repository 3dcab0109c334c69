import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { UsageError } from '../../errors.js';
import { jsonPath } from '../../documents.js';
import type { STRATEGY_NAMES, WORKLOAD_COMMANDS } from '../../schema/names.js';
import type { PoolConfig, ScenarioTarget } from '../../schema/bench.js';
import type { PoolProfileName } from './pool-profiles.js';
import { RANGES } from '../../value-ranges.js';
import { readYaml, sentence, type Path, type YamlFile } from './issue-location.js';
import { bool, brokenRules, count, fileWorkload, leaf, mapping, settingFields, text } from './settings.js';

/**
 * Scenario files: a YAML description of one benchmark (workload, load shape, strategies, pool settings).
 * Every field takes the spellings of its flag (one parser for both, src/values.ts). Every problem becomes one
 * UsageError line `<file>:<line>:<column>: <field and what is wrong>`, pointing at the value, the unknown key
 * or (for a missing field) the mapping that lacks it.
 */

export interface ScenarioCommand {
  command: (typeof WORKLOAD_COMMANDS)[number];
  weight: number;
  valueSize?: number;
  keyspace?: number;
  /** blpop only: the BLPOP timeout in ms. */
  blockMs?: number;
}

/** Any of the bench's pool settings, and a client profile to start from. */
export type ScenarioPool = Partial<Omit<PoolConfig, 'profile'>> & { profile?: PoolProfileName };

export interface Scenario {
  name: string;
  description: string;
  target?: ScenarioTarget;
  workload: {
    commands: ScenarioCommand[];
    valueSize?: number;
    keyspace?: number;
    commandsPerRequest?: number;
    pipeline?: boolean;
    autoPipelining?: boolean;
  };
  workers?: number;
  targetUtilization?: number;
  thinkMs?: number;
  thinkDistribution?: 'exponential' | 'fixed';
  durationMs?: number;
  requests?: number;
  warmup?: { requests: number | null; durationMs: number | null };
  /** One rate, or the steps of a capacity curve. */
  rate?: number[];
  strategies?: (typeof STRATEGY_NAMES)[number][];
  pool?: ScenarioPool;
  poolSizes?: number[];
  thresholds?: string[];
  /** The capacity curve's objectives (`p99<2ms`). */
  slo?: string[];
  /**
   * Where each of `thresholds` is written, in the same order: `<file>:<line>:<column>: thresholds[<i>]`, so that a
   * check made after the file was read (does the threshold name a run of this benchmark?) points at it too.
   */
  thresholdSources?: string[];
  /** Where each field of `target` is written (`<file>:<line>:<column>: target.tls`), for the checks made against the URL. */
  targetSources?: TargetSources;
}

export type TargetSources = { [Field in keyof ScenarioTarget]?: string };

/** An ACL user name as a URL and an ACL file can carry it; `default` is left out, as a URL without a user means it. */
const aclUser = leaf('an ACL user name of letters, digits, ".", "_", "-" and "@", other than default', (input) =>
  typeof input === 'string' && /^[\w.@-]{1,128}$/.test(input) && input !== 'default' ? input : undefined,
);

/** What the server must be: a URL must meet it, a throwaway server is made to (src/bench/scenario-target.ts). */
const target = mapping({
  tls: bool.optional(),
  user: aclUser.optional(),
  db: count('db', RANGES.database).optional(),
});

const nonEmptyText = leaf('a non-empty string', (input) =>
  typeof input === 'string' && input.trim() !== '' ? input : undefined,
);

/**
 * The file as written; toScenario() renames `duration` and fills in the description. The settings are those of
 * src/bench/config/settings.ts, checked by its rules, said in the file's words where the file writes them.
 */
const scenarioFile = mapping({
  name: nonEmptyText,
  description: text.optional(),
  target: target.optional(),
  workload: fileWorkload,
  ...settingFields,
}).superRefine((file, ctx) => {
  for (const rule of brokenRules(file)) sentence(ctx, [...rule.settings[0]!], rule.says(jsonPath));
});

function toScenario({ name, description, duration: durationMs, ...rest }: z.output<typeof scenarioFile>): Scenario {
  return { name, description: description ?? '', ...rest, ...(durationMs !== undefined && { durationMs }) };
}

// ---- entry points ------------------------------------------------------------------------------------------

/** A scenario file read: the scenario, and the YAML it was read from (its data, and where each value is written). */
export interface ScenarioFile {
  scenario: Scenario;
  yaml: YamlFile;
}

/** Reads and validates a scenario; throws a one-line UsageError pointing at the first problem in the file. */
export function readScenario(text: string, file: string): ScenarioFile {
  const yaml = readYaml(text, file);
  if (yaml.empty)
    throw new UsageError(`${yaml.where([])}: the file is empty; a scenario needs at least name and workload`);
  const result = scenarioFile.safeParse(yaml.data);
  if (!result.success) throw new UsageError(yaml.problem(result.error.issues, 'the scenario'));
  const scenario = toScenario(result.data);
  // Where the fields checked after reading are written, so that a problem found then points at them too.
  const sourceOf = (path: Path): string => `${yaml.where(path)}: ${jsonPath(path)}`;
  return {
    scenario: {
      ...scenario,
      ...(scenario.thresholds !== undefined && {
        thresholdSources: scenario.thresholds.map((_, index) => sourceOf(['thresholds', index])),
      }),
      ...(scenario.target !== undefined && { targetSources: targetSources(scenario.target, sourceOf) }),
    },
    yaml,
  };
}

/** Parses and validates a scenario; throws a one-line UsageError pointing at the first problem in the file. */
export function parseScenario(text: string, file: string): Scenario {
  return readScenario(text, file).scenario;
}

function targetSources(target: ScenarioTarget, sourceOf: (path: Path) => string): TargetSources {
  return Object.fromEntries(Object.keys(target).map((field) => [field, sourceOf(['target', field])]));
}

/** Reads and parses a scenario file, with its YAML; an unreadable file is a UsageError too. */
export function loadScenarioFile(file: string): ScenarioFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`scenario file ${file}: cannot read it (${reason})`);
  }
  return readScenario(text, file);
}

/** Reads and parses a scenario file; an unreadable file is a UsageError too. */
export function loadScenario(file: string): Scenario {
  return loadScenarioFile(file).scenario;
}
