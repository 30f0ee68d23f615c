import { resolve } from 'node:path';

/**
 * A file named on the command line, found where the user named it: `npm run` starts a tool in the package's
 * folder and gives the folder it was called from as INIT_CWD, so `cd scenarios && npm run --silent scenario
 * -- x.json` reads scenarios/x.json. Messages keep the name as typed.
 */
export function fromCaller(path: string): string {
  return resolve(process.env.INIT_CWD ?? process.cwd(), path);
}
