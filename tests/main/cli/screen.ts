// A minimal terminal for tests: plays back what the progress bars write (text, newline, and the few CSI
// sequences cli-progress uses) and returns the lines left on screen, as a person would see them.

// eslint-disable-next-line no-control-regex -- a terminal control sequence starts with ESC: that is what it parses
const CSI = /^\u001b\[(\??)(\d*)([A-Za-z])/;

export function screenAfter(output: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let column = 0;
  const put = (char: string): void => {
    const line = lines[row] ?? '';
    lines[row] = line.padEnd(column, ' ').slice(0, column) + char + line.slice(column + 1);
    column += 1;
  };
  for (let index = 0; index < output.length;) {
    const char = output[index] ?? '';
    if (char === '\u001b') {
      const match = CSI.exec(output.slice(index));
      if (match === null) throw new Error(`unexpected escape at ${index}: ${JSON.stringify(output.slice(index, index + 8))}`);
      const [all, privateMode, count, command] = match;
      index += all.length;
      if (privateMode === '?') continue; // cursor visibility, line wrap
      const n = count === '' ? undefined : Number(count);
      if (command === 'G') column = (n ?? 1) - 1;
      else if (command === 'A') row = Math.max(0, row - (n ?? 1));
      else if (command === 'K' && (n ?? 0) === 0) lines[row] = (lines[row] ?? '').slice(0, column);
      else if (command === 'K' && n === 2) lines[row] = '';
      else if (command === 'J') {
        lines[row] = (lines[row] ?? '').slice(0, column);
        lines.length = row + 1;
      } else throw new Error(`unsupported CSI ${all}`);
      continue;
    }
    index += 1;
    if (char === '\n') {
      row += 1;
      column = 0;
      if (lines[row] === undefined) lines[row] = '';
    } else if (char === '\r') column = 0;
    else put(char);
  }
  return lines.map((line) => line.trimEnd());
}
