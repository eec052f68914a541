import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}
