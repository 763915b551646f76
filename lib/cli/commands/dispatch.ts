import { processIo } from './io';
import { promoteCommand } from './promote';
import { registerCommand } from './register';
import { verifyBundleCommand } from './verify-bundle';
import { waitCommand } from './wait';

const COMMANDS = { register: registerCommand, promote: promoteCommand, wait: waitCommand, 'verify-bundle': verifyBundleCommand };

/** The commands CI jobs and edge devices run: no database, only HTTP or local files. */
export function runPipelineCommand(name: keyof typeof COMMANDS, args: string[]): Promise<number> {
  return COMMANDS[name](args, processIo());
}
