/** A warning is a value, not a log line: it says what is wrong and how to fix it, and it lands in the JSON too. */
export interface Warning {
  code: string;
  message: string;
  remedy: string;
}
