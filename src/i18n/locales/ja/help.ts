import type { Catalogue } from '../../catalogue.js';

export const help = {} as const satisfies Catalogue['help'];
