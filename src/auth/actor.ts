import type { Role } from './roles.js';

/** The signed-in person on whose behalf a service acts. Controllers pass it in; services check it first. */
export interface Actor {
  id: string;
  email: string;
  fullName: string;
  roles: Role[];
  preferredLanguage: 'de' | 'en';
}

/** System jobs and the demo seed act as nobody in particular. */
export const SYSTEM_ACTOR: Actor = {
  id: '00000000-0000-0000-0000-000000000000',
  email: 'system@foerdertisch.invalid',
  fullName: 'System',
  roles: ['admin'],
  preferredLanguage: 'de',
};
