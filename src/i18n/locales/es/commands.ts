import type { Catalogue } from '../../catalogue.js';

export const commands = {} as const satisfies Catalogue['commands'];
