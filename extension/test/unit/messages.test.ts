// Content-script and page messages are checked for type, shape and origin before the worker acts.
import { describe, expect, it } from 'vitest';
import { parseContentMessage, parsePageMessage } from '../../src/shared/messages';

const X = 'https://x.com/home';

describe('content messages', () => {
  it('accepts a lookup of supported-site URLs', () => {
    expect(parseContentMessage({ type: 'lookup', urls: ['https://x.com/alice', 'https://github.com/octocat'] }, X)).toEqual({
      type: 'lookup', urls: ['https://x.com/alice', 'https://github.com/octocat'],
    });
  });

  it('rejects messages from pages that are not supported sites', () => {
    expect(parseContentMessage({ type: 'lookup', urls: ['https://x.com/alice'] }, 'https://evil.example/')).toBeNull();
  });

  it('rejects lookups of other origins, http, too many URLs, or none', () => {
    expect(parseContentMessage({ type: 'lookup', urls: ['https://evil.example/alice'] }, X)).toBeNull();
    expect(parseContentMessage({ type: 'lookup', urls: ['http://x.com/alice'] }, X)).toBeNull();
    expect(parseContentMessage({ type: 'lookup', urls: [] }, X)).toBeNull();
    expect(parseContentMessage({ type: 'lookup', urls: Array(201).fill('https://x.com/a') }, X)).toBeNull();
    expect(parseContentMessage({ type: 'lookup', urls: 'https://x.com/alice' }, X)).toBeNull();
  });

  it('rejects unknown types and extra fields', () => {
    expect(parseContentMessage({ type: 'auth.login', email: 'a', password: 'b' }, X)).toBeNull();
    expect(parseContentMessage({ type: 'lookup', urls: ['https://x.com/a'], path: '/v1/admin' }, X)).toBeNull();
    expect(parseContentMessage(null, X)).toBeNull();
    expect(parseContentMessage('lookup', X)).toBeNull();
  });

  it('accepts a capture only for the platform of the page that sends it', () => {
    const item = { personUrl: 'https://x.com/bob', kind: 'reply', externalId: 'status:1', occurredAt: '2026-11-25T07:00:00.000Z' };
    expect(parseContentMessage({ type: 'capture-inbound', platform: 'x', items: [item] }, X)).not.toBeNull();
    expect(parseContentMessage({ type: 'capture-inbound', platform: 'github', items: [item] }, X)).toBeNull();
  });

  it('rejects capture items with bad kinds, times or ids', () => {
    const base = { personUrl: 'https://x.com/bob', kind: 'reply', externalId: 'status:1' };
    for (const bad of [{ ...base, kind: 'hug' }, { ...base, occurredAt: 'yesterday' }, { ...base, externalId: '' },
      { ...base, externalId: 'x'.repeat(256) }, { ...base, personUrl: 'javascript:alert(1)' }, { ...base, direction: 'outbound' }]) {
      expect(parseContentMessage({ type: 'capture-inbound', platform: 'x', items: [bad] }, X), JSON.stringify(bad)).toBeNull();
    }
  });

  it('accepts an outbound reply to an https person URL only', () => {
    expect(parseContentMessage({ type: 'capture-reply', personUrl: 'https://x.com/bob/status/1' }, X)).not.toBeNull();
    expect(parseContentMessage({ type: 'capture-reply', personUrl: 'file:///etc/passwd' }, X)).toBeNull();
  });
});

describe('page messages', () => {
  it('accepts sign-in with a server URL and rejects URLs carrying credentials', () => {
    expect(parsePageMessage({ type: 'auth.login', serverUrl: 'http://localhost:7070', email: 'a@b.c', password: 'pw' })).not.toBeNull();
    expect(parsePageMessage({ type: 'auth.login', serverUrl: 'http://u:p@localhost:7070', email: 'a@b.c', password: 'pw' })).toBeNull();
    expect(parsePageMessage({ type: 'auth.login', serverUrl: 'ftp://x', email: 'a@b.c', password: 'pw' })).toBeNull();
  });

  it('accepts only rcp_ personal access tokens', () => {
    expect(parsePageMessage({ type: 'auth.token', serverUrl: 'http://localhost:7070', token: 'rcp_abcDEF123456' })).not.toBeNull();
    expect(parsePageMessage({ type: 'auth.token', serverUrl: 'http://localhost:7070', token: 'Bearer xyz' })).toBeNull();
  });

  it('checks ids and times of obligation actions', () => {
    expect(parsePageMessage({ type: 'obligations.snooze', id: 3, until: '2026-12-01T09:00:00.000Z' })).not.toBeNull();
    expect(parsePageMessage({ type: 'obligations.snooze', id: '3', until: '2026-12-01T09:00:00.000Z' })).toBeNull();
    expect(parsePageMessage({ type: 'obligations.dismiss', id: -1 })).toBeNull();
    expect(parsePageMessage({ type: 'obligations.dismiss', id: 1.5 })).toBeNull();
  });

  it('checks a logged interaction', () => {
    expect(parsePageMessage({ type: 'log', person: { contactId: 4 }, direction: 'outbound', kind: 'reply' })).not.toBeNull();
    expect(parsePageMessage({ type: 'log', person: { url: 'https://x.com/a' }, direction: 'sideways', kind: 'reply' })).toBeNull();
    expect(parsePageMessage({ type: 'log', person: { url: 'https://x.com/a', contactId: 4 }, direction: 'inbound', kind: 'reply' })).toBeNull();
  });

  it('accepts an import only as a known format with base64 bytes, never as a JSON {fileName, content}', () => {
    expect(parsePageMessage({ type: 'imports.start', format: 'x-archive', fileName: 'twitter.zip', base64: 'UEsDBA==' })).not.toBeNull();
    expect(parsePageMessage({ type: 'imports.start', format: 'myspace', fileName: 'a.zip', base64: 'UEsDBA==' })).toBeNull();
    expect(parsePageMessage({ type: 'imports.start', format: 'csv', fileName: 'a.csv', base64: 'not base64!' })).toBeNull();
    expect(parsePageMessage({ type: 'imports.start', fileName: 'a.csv', content: 'name,handle' })).toBeNull();
  });

  it('checks the id of a contact to show', () => {
    expect(parsePageMessage({ type: 'contacts.get', id: 12 })).toEqual({ type: 'contacts.get', id: 12 });
    expect(parsePageMessage({ type: 'contacts.get', id: 0 })).toBeNull();
  });
});
