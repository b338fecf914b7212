import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputWriter, displayWidth, formatTable, printable } from '../../../main/cli/output.js';

describe('CLI output helpers', () => {
  it('pads table columns by terminal width, right-aligning numbers', () => {
    const lines = formatTable(
      [{ header: 'TITLE' }, { header: 'YEAR', align: 'right' }, { header: 'LIBRARY' }],
      [
        ['進撃の巨人', '2013', 'TV'],
        ['Heat', '1995', 'Movies'],
      ],
    );
    expect(lines).toEqual(['TITLE       YEAR  LIBRARY', '進撃の巨人  2013  TV', 'Heat        1995  Movies']);
    expect(displayWidth('進撃の巨人')).toBe(10);
  });

  it('neutralises control characters from server-provided text', () => {
    expect(printable('evil\u001b[2J\nname')).toBe('evil?[2J?name');
    expect(formatTable([{ header: 'A' }], [['x\ty']])).toEqual(['A', 'x?y']);
  });

  it('buffers output until flushed, and drops writes once the reader has gone', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    const writer = new OutputWriter(stream);
    await writer.line('one');
    expect(chunks).toEqual([]);
    await writer.finish();
    expect(chunks.join('')).toBe('one\n');

    const broken = new PassThrough();
    const brokenWriter = new OutputWriter(broken);
    broken.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(brokenWriter.closed).toBe(true);
    await brokenWriter.line('lost');
    await expect(brokenWriter.finish()).resolves.toBeUndefined();
  });
});
