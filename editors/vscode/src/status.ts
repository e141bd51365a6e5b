// The status-bar item shown while healthlint checks a file: a check starts when a file is
// opened, changed or saved, and ends when its findings arrive.

export interface StatusView {
  show(text: string, tooltip: string): void;
  hide(): void;
}

// A check whose findings never arrive (the server stopped, say) stops showing after this long.
export const GIVE_UP_AFTER_MS = 60_000;

export class LintingStatus {
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly view: StatusView,
    private readonly now: () => number = Date.now,
  ) {}

  started(uri: string): void {
    this.pending.set(uri, this.now());
    this.render();
  }

  finished(uri: string): void {
    if (this.pending.delete(uri)) {
      this.render();
    }
  }

  /** The server is gone: nothing is being checked any more. */
  clear(): void {
    this.pending.clear();
    this.render();
  }

  /** Forget checks that have gone on too long to still be running. */
  expire(): void {
    const limit = this.now() - GIVE_UP_AFTER_MS;
    for (const [uri, since] of this.pending) {
      if (since < limit) {
        this.pending.delete(uri);
      }
    }
    this.render();
  }

  get checking(): string[] {
    return [...this.pending.keys()];
  }

  private render(): void {
    const count = this.pending.size;
    if (count === 0) {
      this.view.hide();
      return;
    }
    const text = count === 1 ? "$(sync~spin) healthlint: checking" : `$(sync~spin) healthlint: checking ${count} files`;
    const names = this.checking.map(fileName).join(", ");
    this.view.show(text, `healthlint is checking ${names}`);
  }
}

export function fileName(uri: string): string {
  const path = uri.split(/[?#]/)[0];
  const name = path.slice(path.lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(name) || uri;
  } catch {
    return name || uri;
  }
}
