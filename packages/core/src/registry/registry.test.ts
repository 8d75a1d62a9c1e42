import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createRegistry, defineEntry, EmbError, registry as sharedRegistry, specificationVersion } from '../index.js';

const fakeLoss = (margin: number) => ({ specificationVersion, name: 'fake', variables: {}, options: { margin } }) as never;

const entry = defineEntry({
  kind: 'loss',
  name: 'fake-margin',
  description: 'a test loss',
  options: v.object({ margin: v.optional(v.pipe(v.number(), v.minValue(0)), 0.1) }),
  create: (o) => fakeLoss(o.margin),
});

describe('registry', () => {
  it('creates an entry with validated defaults', () => {
    const r = createRegistry();
    r.register(entry);
    expect((r.create('loss', 'fake-margin') as unknown as { options: unknown }).options).toEqual({ margin: 0.1 });
    expect((r.create('loss', 'fake-margin', { margin: 2 }) as unknown as { options: unknown }).options).toEqual({ margin: 2 });
  });

  it('refuses a duplicate name unless override is set', () => {
    const r = createRegistry();
    r.register(entry);
    expect(() => r.register(entry)).toThrowError(/already registered.*override: true/);
    expect(() => r.register({ ...entry, description: 'replaced' }, { override: true })).not.toThrow();
    expect(r.list('loss')[0]?.description).toBe('replaced');
  });

  it('answers an unknown name with the list of known names', () => {
    const r = createRegistry();
    r.register(entry);
    r.register({ ...entry, name: 'other-loss' });
    try {
      r.create('loss', 'triplet');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EmbError);
      expect((e as EmbError).code).toBe('UNKNOWN_ENTRY');
      expect((e as EmbError).message).toContain('fake-margin, other-loss');
      expect((e as EmbError).details.known).toEqual(['fake-margin', 'other-loss']);
    }
  });

  it('quotes the bad option value in the error', () => {
    const r = createRegistry();
    r.register(entry);
    expect(() => r.create('loss', 'fake-margin', { margin: 'wide' })).toThrowError(/option "margin".*got "wide"/);
    expect(() => r.create('loss', 'fake-margin', { margin: -1 })).toThrowError(/got -1/);
    try {
      r.create('loss', 'fake-margin', { margin: Number.NaN });
    } catch (e) {
      expect((e as EmbError).code).toBe('INVALID_OPTION');
      expect((e as EmbError).message).toContain('NaN');
    }
  });

  it('refuses a plugin built for another specification version and says which match', () => {
    const r = createRegistry();
    expect(() => r.use({ name: '@acme/emb-plugin-old', specificationVersion: 99, entries: [entry] })).toThrowError(
      /@acme\/emb-plugin-old.*version 99.*supports 1/,
    );
    expect(r.has('loss', 'fake-margin')).toBe(false);
  });

  it('installs a plugin atomically: a clash installs nothing', () => {
    const r = createRegistry();
    r.register(entry);
    const plugin = { name: '@acme/x', specificationVersion, entries: [{ ...entry, name: 'acme/new' }, entry] };
    expect(() => r.use(plugin)).toThrowError(/already registered/);
    expect(r.has('loss', 'acme/new')).toBe(false);
    r.use(plugin, { override: true });
    expect(r.list('loss').map((l) => [l.name, l.plugin])).toEqual([
      ['acme/new', '@acme/x'],
      ['fake-margin', '@acme/x'],
    ]);
  });

  it('rejects entries without an option schema', () => {
    const r = createRegistry();
    expect(() => r.register({ ...entry, options: undefined as never })).toThrowError(/no option schema/);
  });

  it('keeps createRegistry() instances isolated from each other and from the shared one', () => {
    const a = createRegistry();
    const b = createRegistry();
    a.register(entry);
    expect(b.has('loss', 'fake-margin')).toBe(false);
    expect(sharedRegistry.has('loss', 'fake-margin')).toBe(false);
    expect(a.unregister('loss', 'fake-margin')).toBe(true);
    expect(a.has('loss', 'fake-margin')).toBe(false);
  });

  it('shares the default registry through globalThis', () => {
    const key = Symbol.for('@emb/core/registry@1');
    expect((globalThis as Record<symbol, unknown>)[key]).toBe(sharedRegistry);
  });
});
