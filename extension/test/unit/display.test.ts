// How people and obligations are named and coloured on the extension's pages.
import { describe, expect, it } from 'vitest';
import { personName, TYPE_LABEL, urgency } from '../../src/shared/obligations';
import { avatar, emptyState, initials } from '../../src/shared/ui';

describe('obligations on screen', () => {
  it('names the person from the obligation contactName', () => {
    expect(personName({ contactName: 'Grace Hopper' })).toBe('Grace Hopper');
    expect(personName({ contactName: '  ' })).toBe('Someone');
  });

  it('colours overdue red, a reply due amber and the rest blue', () => {
    expect(urgency({ overdue: true, type: 'reply' })).toBe('red');
    expect(urgency({ overdue: false, type: 'reply' })).toBe('amber');
    expect(urgency({ overdue: false, type: 'giveBack' })).toBe('blue');
    expect(TYPE_LABEL.keepInTouch).toBe('Keep in touch');
  });
});

describe('avatars and empty states', () => {
  it('takes up to two initials, ignoring punctuation', () => {
    expect(initials('Grace Hopper')).toBe('GH');
    expect(initials('bob')).toBe('B');
    expect(initials('Jean-Luc de la Tour')).toBe('JT');
    expect(initials('@@@')).toBe('?');
  });

  it('gives the same name the same colour, and renders names as text', () => {
    const a = avatar('<img src=x onerror=alert(1)>');
    expect(a.querySelector('img')).toBeNull();
    expect(avatar('Grace Hopper').style.background).toBe(avatar('Grace Hopper').style.background);
    const empty = emptyState('✓', 'All square', '<b>nobody</b>');
    expect(empty.querySelector('b')).toBeNull();
    expect(empty.textContent).toContain('<b>nobody</b>');
  });
});
