// Reading obligations for display: whose they are, how urgent, and what to call their type.
import type { Obligation } from './api';

export function personName(o: Pick<Obligation, 'contactName'>): string {
  return o.contactName.trim() || 'Someone';
}

export function urgency(o: Pick<Obligation, 'overdue' | 'type'>): 'red' | 'amber' | 'blue' {
  if (o.overdue) return 'red';
  return o.type === 'reply' ? 'amber' : 'blue';
}

export const TYPE_LABEL: Record<Obligation['type'], string> = { reply: 'Reply owed', giveBack: 'Give back', keepInTouch: 'Keep in touch' };
