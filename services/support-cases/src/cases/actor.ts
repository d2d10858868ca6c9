/** Who changed a case; the timeline records it as "system", "customer" or "agent:<name>". */
export type Actor =
  | { kind: 'system' }
  | { kind: 'customer' }
  | { kind: 'agent'; name: string; role: 'agent' | 'supervisor' };

export type AgentActor = Extract<Actor, { kind: 'agent' }>;

export const SYSTEM: Actor = { kind: 'system' };
export const CUSTOMER: Actor = { kind: 'customer' };

export const actorLabel = (actor: Actor) => (actor.kind === 'agent' ? `agent:${actor.name}` : actor.kind);
