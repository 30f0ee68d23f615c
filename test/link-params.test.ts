import { describe, expect, it } from 'vitest';
import { linkParams } from '../src/scenario/link';

describe('linkParams', () => {
  it('reads the cursor and the thread, and names every part it cannot use', () => {
    expect(linkParams('#scenario=abc&at=4&thread=t2')).toEqual({ data: 'abc', at: 4, thread: 't2', ignored: [] });
    expect(linkParams('#scenario=abc&at=-1&thread=t 2&zoom=3')).toEqual({
      data: 'abc',
      at: null,
      thread: null,
      ignored: ['at=-1: not a step number', 'thread=t 2: not a thread name', 'zoom=3: not a part of a link'],
    });
    expect(linkParams('#lesson=x')).toBeNull();
  });
});
