// Whether the healthlint program can be found, and what to tell a writer when it cannot.

import * as fs from "fs";
import * as path from "path";

export interface Environment {
  PATH?: string;
  PATHEXT?: string;
}

/** The file a command would run, looked up on PATH as a shell would; undefined if none. */
export function findProgram(command: string, env: Environment, platform: string = process.platform): string | undefined {
  const windows = platform === "win32";
  const extensions = windows ? ["", ...(env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";")] : [""];
  const hasFolder = command.includes("/") || (windows && command.includes("\\"));
  const folders = hasFolder ? [""] : (env.PATH ?? "").split(windows ? ";" : ":").filter(Boolean);
  for (const folder of folders) {
    for (const extension of extensions) {
      const candidate = folder ? path.join(folder, command + extension) : command + extension;
      if (isProgram(candidate, windows)) {
        return candidate;
      }
    }
  }
  return undefined;
}

function isProgram(file: string, windows: boolean): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (!windows) {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

export const INSTALL_COMMAND = "python3 -m pip install healthlint";

/** The message shown when the program is missing, and when it starts but stops at once. */
export function notInstalledMessage(command: string): string {
  if (command === "healthlint") {
    return (
      "healthlint is not installed, or VS Code cannot find it, so your files are not being checked. " +
      `Install it in a terminal with: ${INSTALL_COMMAND}, then run 'healthlint: Restart the checker'. ` +
      "If it is installed in a virtual environment, set 'healthlint.path' to its full path, for example /home/me/project/.venv/bin/healthlint."
    );
  }
  return (
    `VS Code cannot find the program '${command}' set in 'healthlint.path', so your files are not being checked. ` +
    "Check the path in your settings, or clear it to use the healthlint on your PATH."
  );
}

export function stoppedMessage(command: string, args: string[]): string {
  const shown = [command, ...args].join(" ");
  return (
    `healthlint stopped as soon as it started ('${shown}'), so your files are not being checked. ` +
    "Open the healthlint output to see why. An old healthlint without the 'lsp' command needs an update: " +
    "python3 -m pip install --upgrade healthlint."
  );
}

export const OPEN_SETTINGS = "Open Settings";
export const SHOW_OUTPUT = "Show Output";
