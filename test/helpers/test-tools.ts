import { findOnPath } from '../../src/redis/lifeline.js';

/** A program some tests run, from a Debian package that .ci/run installs when it is missing. */
export interface TestTool {
  name: string;
  /** Who needs it for what, as a sentence: "the HTML report tests open the reports in it". */
  usedFor: string;
  debianPackage: string;
  /** The executable, a name on PATH or a path; `variable`, when set, overrides it. */
  executable: string;
  variable?: string;
}

export const CHROMIUM: TestTool = {
  name: 'Chromium',
  usedFor: 'the HTML report tests open the reports in it',
  debianPackage: 'chromium',
  executable: '/usr/bin/chromium',
  variable: 'CHROMIUM_PATH',
};
export const PROMTOOL: TestTool = {
  name: 'promtool',
  usedFor: 'the Prometheus export tests check the exports with it',
  debianPackage: 'prometheus',
  executable: 'promtool',
  variable: 'PROMTOOL_PATH',
};
export const SCRIPT: TestTool = {
  name: 'script (util-linux)',
  usedFor: 'the progress-line tests give the tool a terminal with it',
  debianPackage: 'bsdutils',
  executable: 'script',
};
export const OPENSSL: TestTool = {
  name: 'openssl',
  usedFor: 'the TLS tests make their certificates with it',
  debianPackage: 'openssl',
  executable: 'openssl',
};

/**
 * The path of the tool's executable. A missing one fails the test that needs it with one message, naming the
 * Debian package, instead of skipping it or failing further on.
 */
export function requireTestTool(tool: TestTool): string {
  const override = tool.variable !== undefined ? process.env[tool.variable] : undefined;
  const wanted = override ?? tool.executable;
  const found = findOnPath(wanted);
  if (found !== null) return found;
  const where =
    override !== undefined ? `at ${wanted} (${tool.variable})` : wanted.includes('/') ? `at ${wanted}` : 'on PATH';
  const elsewhere = tool.variable !== undefined ? `, or set ${tool.variable} to its path` : '';
  throw new Error(
    `${tool.name} not found ${where}: ${tool.usedFor}. Install Debian's ${tool.debianPackage} package ` +
      `(apt-get install ${tool.debianPackage}; .ci/run installs it when it is missing)${elsewhere}.`,
  );
}
