/** A `fix` command line that cannot be carried out as given (exit code 2, with the usage). Apart from fix.ts, which
 * main.ts loads only for `fix`, so that every command can recognise it. */
export class FixUsageError extends Error {}
