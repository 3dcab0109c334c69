/** A warning is a value, not a log line: it says what is wrong and how to fix it, and it lands in the JSON too. */
export interface Warning {
  code: string;
  /** A category a CI job can select on: 'generator-saturated' for a run the load generator distorted. */
  kind?: 'generator-saturated';
  /** 'note': nothing is wrong; it says what a figure that looks alarming means (absent = a warning). */
  level?: 'note';
  message: string;
  /** For a note: what to do to learn more. */
  remedy: string;
}
