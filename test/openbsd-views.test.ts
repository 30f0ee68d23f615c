import { describe, expect, it } from 'vitest';
import { PG_BUSY, PG_CLEAN, PG_FAKE } from '../src/engine/openbsd/flags';
import type { Page } from '../src/engine/openbsd/state';
import { pageState } from '../src/engine/openbsd/views';

describe('OpenBSD page states (the page tree colours)', () => {
  const page = (flags: number, modified = false): Page => ({
    id: 1,
    object: 'vn1',
    offset: 0,
    flags,
    queue: 'none',
    wired: 0,
    mapped: false,
    modified,
    owner: null,
  });

  it('names one state per page, the first that applies', () => {
    expect(pageState(page(PG_BUSY | PG_CLEAN | PG_FAKE))).toBe('busy');
    expect(pageState(page(PG_CLEAN | PG_FAKE))).toBe('fake');
    expect(pageState(page(0))).toBe('dirty');
    // PG_CLEAN still set, but written through a mapping: the page is dirty.
    expect(pageState(page(PG_CLEAN, true))).toBe('dirty');
    expect(pageState(page(PG_CLEAN))).toBe('clean');
  });
});
