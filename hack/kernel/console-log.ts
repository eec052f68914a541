const TAIL_LINES = 60;

/** Guest console lines: forwarded to the caller's log, the last ones kept for error messages. */
export class ConsoleLog {
  private readonly lines: string[] = [];

  constructor(private readonly forward?: (line: string) => void) {}

  readonly add = (raw: string): void => {
    // SeaBIOS and the kernel emit terminal control sequences; keep the text only
    const line = raw.replace(/\x1b(\[[0-9;?]*[A-Za-z]|[A-Za-z])/g, '').replace(/\r/g, '');
    if (!line.trim()) return;
    this.lines.push(line);
    if (this.lines.length > TAIL_LINES) this.lines.shift();
    this.forward?.(line);
  };

  tail(): string {
    return `--- guest console, last ${this.lines.length} lines ---\n${this.lines.join('\n')}`;
  }
}
